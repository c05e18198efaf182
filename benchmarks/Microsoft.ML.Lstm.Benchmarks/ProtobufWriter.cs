using System.Text;

namespace Microsoft.ML.Lstm.Benchmarks;

/// <summary>
/// A minimal protocol-buffers encoder, enough for ONNX models: varints, 32-bit floats, strings,
/// packed repeated fields and nested messages (encoded into their own writer, then length-delimited).
/// </summary>
internal sealed class ProtobufWriter
{
    private const int Varint = 0, LengthDelimited = 2;
    private readonly MemoryStream _buffer = new();

    /// <summary>The encoded bytes.</summary>
    public byte[] ToArray() => _buffer.ToArray();

    /// <summary>Writes an int32/int64/enum/bool field.</summary>
    public ProtobufWriter Int(int field, long value)
    {
        Tag(field, Varint);
        RawVarint(unchecked((ulong)value));
        return this;
    }

    /// <summary>Writes a string field (UTF-8).</summary>
    public ProtobufWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>Writes a bytes field.</summary>
    public ProtobufWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimited);
        RawVarint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    /// <summary>Writes a nested message built by <paramref name="build"/>.</summary>
    public ProtobufWriter Message(int field, Action<ProtobufWriter> build)
    {
        var inner = new ProtobufWriter();
        build(inner);
        return Bytes(field, inner._buffer.GetBuffer().AsSpan(0, (int)inner._buffer.Length));
    }

    /// <summary>Writes a packed repeated int64 field.</summary>
    public ProtobufWriter PackedInts(int field, IEnumerable<long> values)
    {
        var inner = new ProtobufWriter();
        foreach (long v in values) inner.RawVarint(unchecked((ulong)v));
        return Bytes(field, inner._buffer.GetBuffer().AsSpan(0, (int)inner._buffer.Length));
    }

    /// <summary>Writes a packed repeated float field (little-endian IEEE 754).</summary>
    public ProtobufWriter PackedFloats(int field, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), values[i]);
        return Bytes(field, bytes);
    }

    private void Tag(int field, int wireType) => RawVarint((ulong)((field << 3) | wireType));

    private void RawVarint(ulong v)
    {
        while (v >= 0x80)
        {
            _buffer.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }
        _buffer.WriteByte((byte)v);
    }
}
