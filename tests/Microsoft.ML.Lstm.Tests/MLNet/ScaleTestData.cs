using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>One input row for <see cref="ScaleTransformer"/> tests.</summary>
public sealed class ScaleRow
{
    public const int Size = 7;

    [VectorType(Size)]
    public float[] Features { get; set; } = [];
}

/// <summary>Deterministic inputs, with awkward values (signed zero, subnormals, huge values) and an all-zero slot.</summary>
internal static class ScaleTestData
{
    public static ScaleRow[] Rows(int count, int seed)
    {
        var rng = new Random(seed);
        float[] special = [0f, -0f, 1e-40f, -1e-40f, 3.0e38f, -2.5e-3f, 1f / 3f];
        var rows = new ScaleRow[count];
        for (int r = 0; r < count; r++)
        {
            var x = new float[ScaleRow.Size];
            for (int i = 0; i < x.Length; i++)
                x[i] = i == 3 ? 0f : (r % 5 == 0 ? special[(r + i) % special.Length] : (float)(rng.NextDouble() * 200 - 100));
            rows[r] = new ScaleRow { Features = x };
        }
        return rows;
    }

    /// <summary>Every value of a float vector column, row by row.</summary>
    public static float[][] ReadColumn(IDataView data, string name)
    {
        var column = data.Schema[name];
        var result = new List<float[]>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value.DenseValues().ToArray());
        }
        return result.ToArray();
    }

    /// <summary>Asserts the two tables are equal bit for bit (NaN payloads and signed zeros included).</summary>
    public static void AssertBitIdentical(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int r = 0; r < expected.Length; r++)
        {
            Assert.Equal(expected[r].Length, actual[r].Length);
            for (int i = 0; i < expected[r].Length; i++)
            {
                int e = BitConverter.SingleToInt32Bits(expected[r][i]);
                int a = BitConverter.SingleToInt32Bits(actual[r][i]);
                Assert.True(e == a, $"row {r}, slot {i}: expected {expected[r][i]:R} (0x{e:X8}), got {actual[r][i]:R} (0x{a:X8})");
            }
        }
    }
}
