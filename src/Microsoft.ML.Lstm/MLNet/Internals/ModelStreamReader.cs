using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// Reads the fields <see cref="ModelStreamWriter"/> wrote, validating each one before using or
/// allocating anything: model files come from disk and may be truncated, corrupt or hostile.
/// </summary>
/// <remarks>
/// Every failure is an <see cref="InvalidDataException"/> (see <see cref="CorruptModel"/>) naming
/// the component and the field: values out of the caller's range, lengths over the caller's bound
/// or past the end of the component's bytes, non-finite numbers, invalid UTF-8, trailing bytes.
/// </remarks>
internal class ModelStreamReader
{
    /// <summary>Default bound on a string's UTF-8 byte count.</summary>
    public const int DefaultMaxStringBytes = 1 << 16;

    private readonly BinaryReader _reader;
    private readonly long _start, _end;
    private readonly bool _checksum;
    private bool _verified;
    private string? _lastField;

    /// <summary>
    /// Reads from <paramref name="reader"/>; the component's bytes end at stream position <paramref name="end"/>, the last
    /// <see cref="HashingStream.ChecksumBytes"/> of them a checksum trailer when <paramref name="checksum"/> is set.
    /// </summary>
    internal ModelStreamReader(BinaryReader reader, long end, string component, bool checksum = false)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(component);
        if (!reader.BaseStream.CanSeek)
            throw new ArgumentException("The model stream must be seekable.", nameof(reader));
        if (end < reader.BaseStream.Position || end > reader.BaseStream.Length)
            throw CorruptModel.Field(component, "(header)",
                $"the component claims to end at byte {end}, outside the stream " +
                $"({reader.BaseStream.Position}..{reader.BaseStream.Length}).");
        _reader = reader;
        _start = reader.BaseStream.Position;
        _checksum = checksum;
        _end = checksum ? end - HashingStream.ChecksumBytes : end;
        Component = component;
        if (_end < _start)
            throw CorruptModel.Field(component, "checksum", "the component is shorter than its checksum: the model is truncated.");
    }

    /// <summary>Component name used in messages (its loader signature).</summary>
    public string Component { get; }

    /// <summary>Bytes of the component not yet read.</summary>
    public long Remaining => _end - _reader.BaseStream.Position;

    /// <summary>Reads a 32-bit integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int ReadInt32(string field, int min = int.MinValue, int max = int.MaxValue)
    {
        Need(field, sizeof(int));
        int value = _reader.ReadInt32();
        if (value < min || value > max)
            throw Corrupt(field, $"value {value} is outside [{min}, {max}].");
        return value;
    }

    /// <summary>
    /// Reads a count in [<paramref name="min"/>, <paramref name="max"/>] of items that take at least
    /// <paramref name="minBytesEach"/> bytes each further on, refused when the bytes left cannot hold them: a corrupt count
    /// fails here instead of sizing an allocation.
    /// </summary>
    public int ReadCount(string field, int min, int max, int minBytesEach)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minBytesEach);
        int count = ReadInt32(field, min, max);
        if ((long)count * minBytesEach > Remaining)
            throw Corrupt(field, $"{count} items need at least {(long)count * minBytesEach} bytes but only {Remaining} remain: " +
                "the count is wrong or the model is truncated.");
        return count;
    }

    /// <summary>Reads a 64-bit integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long ReadInt64(string field, long min = long.MinValue, long max = long.MaxValue)
    {
        Need(field, sizeof(long));
        long value = _reader.ReadInt64();
        if (value < min || value > max)
            throw Corrupt(field, $"value {value} is outside [{min}, {max}].");
        return value;
    }

    /// <summary>Reads a double; non-finite values are refused unless <paramref name="requireFinite"/> is false.</summary>
    public double ReadDouble(string field, bool requireFinite = true)
    {
        Need(field, sizeof(double));
        double value = _reader.ReadDouble();
        if (requireFinite && !double.IsFinite(value))
            throw Corrupt(field, $"value {value} is not finite.");
        return value;
    }

    /// <summary>Reads a float; non-finite values are refused unless <paramref name="requireFinite"/> is false.</summary>
    public float ReadSingle(string field, bool requireFinite = true)
    {
        Need(field, sizeof(float));
        float value = _reader.ReadSingle();
        if (requireFinite && !float.IsFinite(value))
            throw Corrupt(field, $"value {value} is not finite.");
        return value;
    }

    /// <summary>Reads a boolean stored as one byte, 0 or 1.</summary>
    public bool ReadBoolean(string field)
    {
        Need(field, 1);
        byte value = _reader.ReadByte();
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw Corrupt(field, $"byte {value} is not a boolean (0 or 1)."),
        };
    }

    /// <summary>Reads a string of at most <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    public string ReadString(string field, int maxBytes = DefaultMaxStringBytes, bool allowEmpty = true)
    {
        int count = ReadLength(field, allowEmpty ? 0 : 1, maxBytes, 1);
        var bytes = new byte[count];
        ReadRaw(field, bytes);
        try
        {
            return ModelStreamWriter.StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw Corrupt(field, "the bytes are not valid UTF-8.", ex);
        }
    }

    /// <summary>Reads a float array of at most <paramref name="maxLength"/> elements.</summary>
    public float[] ReadSingleArray(string field, int maxLength, bool requireFinite = true)
    {
        var values = ReadArray<float>(field, maxLength);
        if (requireFinite)
            CheckFinite(field, values);
        return values;
    }

    /// <summary>Reads a float array whose stored length must equal <paramref name="destination"/>'s, into it.</summary>
    public void ReadSingleArray(string field, Span<float> destination, bool requireFinite = true)
    {
        ReadArrayInto(field, destination);
        if (requireFinite)
            CheckFinite(field, destination);
    }

    /// <summary>Reads a double array of at most <paramref name="maxLength"/> elements.</summary>
    public double[] ReadDoubleArray(string field, int maxLength, bool requireFinite = true)
    {
        var values = ReadArray<double>(field, maxLength);
        if (requireFinite)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (!double.IsFinite(values[i]))
                    throw Corrupt(field, $"element {i} is {values[i]}, not finite.");
            }
        }
        return values;
    }

    /// <summary>Throws unless every byte of the component has been read and, with a checksum trailer, they match it.</summary>
    public void EnsureFullyRead()
    {
        if (_verified) return;   // the checksum after the component's bytes has been read and matched
        if (Remaining != 0)
            throw CorruptModel.Field(Component, _lastField ?? "(start)",
                $"{Remaining} unread bytes follow this field at the end of the component.");
        if (!_checksum || _verified) return;
        var stream = _reader.BaseStream;
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        stream.Position = _start;
        var buffer = new byte[81920];
        for (long left = _end - _start; left > 0;)
        {
            int n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n <= 0) throw Corrupt("checksum", "the stream ended early: the model is truncated.");
            hash.AppendData(buffer, 0, n);
            left -= n;
        }
        var stored = new byte[HashingStream.ChecksumBytes];
        ReadRaw("checksum", stored);
        if (!stored.AsSpan().SequenceEqual(hash.GetCurrentHash()))
            throw Corrupt("checksum", "the bytes do not match the checksum saved with them: the file was changed or damaged after saving.");
        _verified = true;
    }

    /// <summary>An exception for a bad value of <paramref name="field"/> in this component.</summary>
    protected InvalidDataException Corrupt(string field, string problem, Exception? inner = null) =>
        CorruptModel.Field(Component, field, problem, inner);

    private void Need(string field, long bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        _lastField = field;
        long remaining = Remaining;
        if (bytes > remaining)
            throw Corrupt(field, $"needs {bytes} bytes but only {Math.Max(remaining, 0)} remain: the model is truncated.");
    }

    private int ReadLength(string field, int min, int max, int elementSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(min);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        Need(field, sizeof(int));
        int length = _reader.ReadInt32();
        if (length < min || length > max)
            throw Corrupt(field, $"length {length} is outside [{min}, {max}].");
        long bytes = (long)length * elementSize;
        if (bytes > Remaining)
            throw Corrupt(field,
                $"length {length} needs {bytes} bytes but only {Remaining} remain: the model is truncated or the length is wrong.");
        return length;
    }

    private T[] ReadArray<T>(string field, int maxLength) where T : unmanaged
    {
        int length = ReadLength(field, 0, maxLength, Unsafe.SizeOf<T>());
        var values = GC.AllocateUninitializedArray<T>(length);
        ReadElements<T>(field, values);
        return values;
    }

    private void ReadArrayInto<T>(string field, Span<T> destination) where T : unmanaged
    {
        ReadLength(field, destination.Length, destination.Length, Unsafe.SizeOf<T>());
        ReadElements(field, destination);
    }

    private void ReadElements<T>(string field, Span<T> destination) where T : unmanaged
    {
        ReadRaw(field, MemoryMarshal.AsBytes(destination));
        if (!BitConverter.IsLittleEndian)
        {
            var bytes = MemoryMarshal.AsBytes(destination);
            int size = Unsafe.SizeOf<T>();
            for (int i = 0; i < bytes.Length; i += size)
                bytes.Slice(i, size).Reverse();
        }
    }

    private void ReadRaw(string field, Span<byte> destination)
    {
        try
        {
            _reader.BaseStream.ReadExactly(destination);
        }
        catch (EndOfStreamException ex)
        {
            throw Corrupt(field, "the stream ended early: the model is truncated.", ex);
        }
    }

    private void CheckFinite(string field, ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw Corrupt(field, $"element {i} is {values[i]}, not finite.");
        }
    }
}
