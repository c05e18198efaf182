using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// Writes the fields of a saved component to one stream, in the little-endian encoding
/// <see cref="ModelStreamReader"/> reads back. Each call names its field: a value that could not
/// be loaded again (a non-finite weight, a null string) fails here, at save time.
/// </summary>
/// <remarks>
/// Encoding: scalars as <see cref="BinaryWriter"/> writes them; a boolean as one byte 0/1; a string
/// as an <see cref="int"/> UTF-8 byte count and the bytes; an array as an <see cref="int"/>
/// element count and the raw elements.
/// </remarks>
internal class ModelStreamWriter
{
    /// <summary>UTF-8 without byte-order mark, throwing on unpaired surrogates.</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly BinaryWriter _writer;
    private readonly HashingStream _hashed;

    /// <summary>Writes to <paramref name="writer"/> for the component named <paramref name="component"/>.</summary>
    internal ModelStreamWriter(BinaryWriter writer, string component)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(component);
        writer.Flush();
        _hashed = new HashingStream(writer.BaseStream);
        _writer = new BinaryWriter(_hashed, StrictUtf8, leaveOpen: true);
        Component = component;
    }

    /// <summary>
    /// Ends the component's bytes with the SHA-256 of everything this writer wrote (a trailer the reader checks,
    /// <see cref="ModelStreamReader"/> with a checksum), so a file changed or damaged after saving fails to load.
    /// </summary>
    public void WriteChecksum()
    {
        _writer.Flush();
        _hashed.WriteHash();
    }

    /// <summary>Component name used in messages (its loader signature).</summary>
    public string Component { get; }

    /// <summary>Writes a 32-bit integer.</summary>
    public void WriteInt32(string field, int value)
    {
        CheckField(field);
        _writer.Write(value);
    }

    /// <summary>Writes a 64-bit integer.</summary>
    public void WriteInt64(string field, long value)
    {
        CheckField(field);
        _writer.Write(value);
    }

    /// <summary>Writes a double; non-finite values are refused unless <paramref name="requireFinite"/> is false.</summary>
    public void WriteDouble(string field, double value, bool requireFinite = true)
    {
        CheckField(field);
        if (requireFinite && !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(field, value, $"{Component}: field '{field}' must be finite.");
        _writer.Write(value);
    }

    /// <summary>Writes a float; non-finite values are refused unless <paramref name="requireFinite"/> is false.</summary>
    public void WriteSingle(string field, float value, bool requireFinite = true)
    {
        CheckField(field);
        if (requireFinite && !float.IsFinite(value))
            throw new ArgumentOutOfRangeException(field, value, $"{Component}: field '{field}' must be finite.");
        _writer.Write(value);
    }

    /// <summary>Writes a boolean as one byte, 0 or 1.</summary>
    public void WriteBoolean(string field, bool value)
    {
        CheckField(field);
        _writer.Write((byte)(value ? 1 : 0));
    }

    /// <summary>Writes a non-null string as its UTF-8 byte count and bytes.</summary>
    public void WriteString(string field, string value)
    {
        CheckField(field);
        if (value is null)
            throw new ArgumentNullException(field, $"{Component}: field '{field}' must not be null.");
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(value);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException($"{Component}: field '{field}' is not valid UTF-16 text.", field, ex);
        }
        _writer.Write(bytes.Length);
        _writer.Write(bytes);
    }

    /// <summary>Writes a float array; non-finite values are refused unless <paramref name="requireFinite"/> is false.</summary>
    public void WriteSingleArray(string field, ReadOnlySpan<float> values, bool requireFinite = true)
    {
        CheckField(field);
        if (requireFinite)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                    throw new ArgumentOutOfRangeException(field, values[i],
                        $"{Component}: field '{field}' has a non-finite value at index {i}.");
            }
        }
        WriteArray(values);
    }

    /// <summary>Writes a double array; non-finite values are refused unless <paramref name="requireFinite"/> is false.</summary>
    public void WriteDoubleArray(string field, ReadOnlySpan<double> values, bool requireFinite = true)
    {
        CheckField(field);
        if (requireFinite)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (!double.IsFinite(values[i]))
                    throw new ArgumentOutOfRangeException(field, values[i],
                        $"{Component}: field '{field}' has a non-finite value at index {i}.");
            }
        }
        WriteArray(values);
    }

    private void WriteArray<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        _writer.Write(values.Length);
        if (BitConverter.IsLittleEndian)
        {
            _writer.Write(MemoryMarshal.AsBytes(values));
            return;
        }

        Span<byte> element = stackalloc byte[Unsafe.SizeOf<T>()];
        foreach (var value in values)
        {
            MemoryMarshal.Write(element, in value);
            element.Reverse();
            _writer.Write(element);
        }
    }

    private static void CheckField(string field) => ArgumentException.ThrowIfNullOrEmpty(field);
}
