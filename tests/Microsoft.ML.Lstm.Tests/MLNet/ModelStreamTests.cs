using System.Text;
using Microsoft.ML.Lstm.MLNet.Internals;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>Field encoding and validation of <see cref="ModelStreamWriter"/> / <see cref="ModelStreamReader"/>.</summary>
public sealed class ModelStreamTests
{
    private const string Component = "TestComponent";

    private static byte[] Write(Action<ModelStreamWriter> write)
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            write(new ModelStreamWriter(writer, Component));
        return stream.ToArray();
    }

    private static T Read<T>(byte[] bytes, Func<ModelStreamReader, T> read)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        return read(new ModelStreamReader(reader, bytes.Length, Component));
    }

    private static InvalidDataException ReadFails(byte[] bytes, Action<ModelStreamReader> read) =>
        Assert.Throws<InvalidDataException>(() => Read(bytes, r => { read(r); return 0; }));

    private static void WriteAllKinds(ModelStreamWriter w)
    {
        w.WriteInt32("i32", -123456);
        w.WriteInt64("i64", 1L << 40);
        w.WriteDouble("f64", Math.PI);
        w.WriteSingle("f32", -0f);
        w.WriteBoolean("flag", true);
        w.WriteString("name", "Größe ∑ 🙂");
        w.WriteSingleArray("weights", [1.5f, -2.25f, float.Epsilon, 3e38f]);
        w.WriteDoubleArray("doubles", [0.1, -1e300]);
        w.WriteSingleArray("fixed", [4f, 5f]);
        w.WriteString("empty", "");
    }

    private static object[] ReadAllKinds(ModelStreamReader r)
    {
        var fixedValues = new float[2];
        object[] values =
        [
            r.ReadInt32("i32"),
            r.ReadInt64("i64"),
            r.ReadDouble("f64"),
            r.ReadSingle("f32"),
            r.ReadBoolean("flag"),
            r.ReadString("name"),
            r.ReadSingleArray("weights", maxLength: 4),
            r.ReadDoubleArray("doubles", maxLength: 10),
            ReadInto(r, "fixed", fixedValues),
            r.ReadString("empty"),
        ];
        r.EnsureFullyRead();
        return values;
    }

    private static float[] ReadInto(ModelStreamReader r, string field, float[] destination)
    {
        r.ReadSingleArray(field, destination.AsSpan());
        return destination;
    }

    [Fact]
    public void EveryFieldKindRoundTrips()
    {
        var values = Read(Write(WriteAllKinds), ReadAllKinds);

        Assert.Equal(-123456, values[0]);
        Assert.Equal(1L << 40, values[1]);
        Assert.Equal(Math.PI, values[2]);
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits((float)values[3]));
        Assert.Equal(true, values[4]);
        Assert.Equal("Größe ∑ 🙂", values[5]);
        Assert.Equal(new[] { 1.5f, -2.25f, float.Epsilon, 3e38f }, (float[])values[6]);
        Assert.Equal(new[] { 0.1, -1e300 }, (double[])values[7]);
        Assert.Equal(new[] { 4f, 5f }, (float[])values[8]);
        Assert.Equal("", values[9]);
    }

    [Fact]
    public void EncodingIsLittleEndianWithInt32LengthPrefixes()
    {
        byte[] bytes = Write(w =>
        {
            w.WriteInt32("a", 0x01020304);
            w.WriteSingleArray("b", [1f]);
            w.WriteString("c", "hi");
            w.WriteBoolean("d", true);
        });
        Assert.Equal(new byte[] { 4, 3, 2, 1, 1, 0, 0, 0, 0, 0, 0x80, 0x3F, 2, 0, 0, 0, (byte)'h', (byte)'i', 1 }, bytes);
    }

    [Fact]
    public void EveryTruncationFailsWithInvalidDataException()
    {
        byte[] bytes = Write(WriteAllKinds);
        for (int length = 0; length < bytes.Length; length++)
        {
            byte[] truncated = bytes[..length];
            var ex = Assert.Throws<InvalidDataException>(() => Read(truncated, ReadAllKinds));
            Assert.Contains(Component, ex.Message);
        }
    }

    [Fact]
    public void HugeArrayLengthIsRejectedBeforeAllocating()
    {
        byte[] bytes = Write(w => w.WriteInt32("weights", int.MaxValue));
        var ex = ReadFails(bytes, r => r.ReadSingleArray("weights", maxLength: int.MaxValue));
        Assert.Contains("field 'weights'", ex.Message);
        Assert.Contains("truncated", ex.Message);

        ex = ReadFails(bytes, r => r.ReadSingleArray("weights", maxLength: 1000));
        Assert.Contains("length 2147483647 is outside [0, 1000]", ex.Message);

        ex = ReadFails(Write(w => w.WriteInt32("name", -5)), r => r.ReadString("name"));
        Assert.Contains("field 'name'", ex.Message);
    }

    [Fact]
    public void ValuesOutsideTheCallersRangeNameTheField()
    {
        var ex = ReadFails(Write(w => w.WriteInt32("hiddenSize", 0)), r => r.ReadInt32("hiddenSize", 1, 4096));
        Assert.Equal("Corrupt model: component 'TestComponent', field 'hiddenSize': value 0 is outside [1, 4096].", ex.Message);

        ex = ReadFails(Write(w => w.WriteInt64("rows", -1)), r => r.ReadInt64("rows", 0));
        Assert.Contains("field 'rows'", ex.Message);

        ex = ReadFails(Write(w => w.WriteSingleArray("fixed", [1f, 2f, 3f])), r => r.ReadSingleArray("fixed", new float[2]));
        Assert.Contains("length 3 is outside [2, 2]", ex.Message);
    }

    [Fact]
    public void NonFiniteNumbersAreRefusedOnBothSides()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Write(w => w.WriteSingleArray("weights", [1f, float.NaN])));
        Assert.Throws<ArgumentOutOfRangeException>(() => Write(w => w.WriteDouble("lr", double.PositiveInfinity)));

        byte[] bytes = Write(w => w.WriteSingleArray("weights", [1f, float.NaN], requireFinite: false));
        var ex = ReadFails(bytes, r => r.ReadSingleArray("weights", 2));
        Assert.Contains("field 'weights': element 1 is NaN", ex.Message);
        Assert.True(float.IsNaN(Read(bytes, r => r.ReadSingleArray("weights", 2, requireFinite: false))[1]));

        ex = ReadFails(Write(w => w.WriteSingle("offset", float.NegativeInfinity, requireFinite: false)), r => r.ReadSingle("offset"));
        Assert.Contains("field 'offset'", ex.Message);
    }

    [Fact]
    public void MalformedStringsAndBooleansAreRejected()
    {
        byte[] badUtf8 = [2, 0, 0, 0, 0xC3, 0x28];
        var ex = ReadFails(badUtf8, r => r.ReadString("column"));
        Assert.Contains("field 'column': the bytes are not valid UTF-8", ex.Message);

        ex = ReadFails(Write(w => w.WriteString("column", "")), r => r.ReadString("column", allowEmpty: false));
        Assert.Contains("length 0 is outside [1, ", ex.Message);

        ex = ReadFails(Write(w => w.WriteString("column", new string('x', 100))), r => r.ReadString("column", maxBytes: 10));
        Assert.Contains("length 100 is outside [0, 10]", ex.Message);

        ex = ReadFails([2], r => r.ReadBoolean("bidirectional"));
        Assert.Contains("field 'bidirectional': byte 2 is not a boolean", ex.Message);

        Assert.Throws<ArgumentNullException>(() => Write(w => w.WriteString("column", null!)));
        Assert.Throws<ArgumentException>(() => Write(w => w.WriteString("column", "\uD800")));
    }

    [Fact]
    public void TrailingBytesAreReportedAfterTheLastField()
    {
        byte[] bytes = Write(w => { w.WriteInt32("a", 1); w.WriteInt32("b", 2); });
        var ex = ReadFails(bytes, r => { r.ReadInt32("a"); r.EnsureFullyRead(); });
        Assert.Contains("field 'a': 4 unread bytes follow", ex.Message);
    }

    [Fact]
    public void ReaderStopsAtTheComponentsEndNotTheStreamsEnd()
    {
        byte[] bytes = Write(w => { w.WriteInt32("a", 1); w.WriteInt32("next", 2); });
        using var reader = new BinaryReader(new MemoryStream(bytes));
        var r = new ModelStreamReader(reader, end: 4, Component);
        Assert.Equal(1, r.ReadInt32("a"));
        Assert.Equal(0, r.Remaining);
        Assert.Throws<InvalidDataException>(() => r.ReadInt32("b"));
    }

    [Fact]
    public void ACountTheBytesLeftCannotHoldIsRefused()
    {
        // The forecaster's series count: 2^24 series of at least 69 bytes each in a component of a few bytes.
        byte[] bytes = Write(w => { w.WriteInt32("seriesCount", 1 << 24); w.WriteInt64("rest", 0); });
        var ex = ReadFails(bytes, r => r.ReadCount("seriesCount", 1, 1 << 24, minBytesEach: 69));
        Assert.Contains("field 'seriesCount': 16777216 items need at least", ex.Message);
        Assert.Equal(1, Read(Write(w => { w.WriteInt32("n", 1); w.WriteInt64("rest", 0); }), r => r.ReadCount("n", 1, 9, 8)));
    }

    [Fact]
    public void FieldErrorsAreMarkedLikeMLNetErrors()
    {
        // ML.NET wraps marked loader exceptions as "Error during class instantiation" with ours inside.
        var ex = ReadFails([], r => r.ReadInt32("x"));
        Assert.True(ex.Data.Contains("ML_IsMarked"));
    }
}
