using Microsoft.ML.Lstm.Kernels;

namespace Microsoft.ML.Lstm.Tests.Kernels;

/// <summary>
/// <see cref="SimdMatrixKernels.MatMulPackedPair"/> (one LSTM step's bias + x·W_ihᵀ + h·W_hhᵀ in one pass):
/// bit-identical to bias rows followed by two accumulating packed products, on every path and across
/// paths, close to a double reference, ragged panels and empty terms included.
/// </summary>
public class PackedPairTests
{
    public static TheoryData<string> Paths() => SimdKernelTests.Paths();

    private static readonly (int M, int N, int K1, int K2)[] Shapes =
    [
        (16, 256, 16, 64), (16, 1024, 64, 256), (1, 256, 16, 64), (5, 20, 3, 5), (7, 17, 0, 9), (4, 65, 33, 0),
        (13, 130, 70, 31), (3, 1, 1, 1), (2, 48, 300, 7),
    ];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Pair_EqualsBiasThenTwoPackedProducts_BitForBit(string pathName)
    {
        var path = SimdKernelTests.Parse(pathName);
        var kernels = new SimdMatrixKernels(path);
        var rng = new Random(11);
        foreach (var (m, n, k1, k2) in Shapes)
        {
            var p = PairProblem.Random(m, n, k1, k2, rng);
            var b1 = kernels.PackNT(n, k1, p.W1, Math.Max(1, k1));
            var b2 = kernels.PackNT(n, k2, p.W2, Math.Max(1, k2));

            var expected = new float[m * p.Ldc];
            for (int r = 0; r < m; r++) p.Bias.CopyTo(expected.AsSpan(r * p.Ldc, n));
            kernels.MatMulPacked(m, p.A1, p.Lda1, b1, expected, p.Ldc, accumulate: true);
            kernels.MatMulPacked(m, p.A2, p.Lda2, b2, expected, p.Ldc, accumulate: true);

            var actual = Enumerable.Repeat(float.NaN, m * p.Ldc).ToArray(); // C's old contents must not matter
            kernels.MatMulPackedPair(m, p.A1, p.Lda1, b1, p.A2, p.Lda2, b2, p.Bias, actual, p.Ldc);

            for (int r = 0; r < m; r++)
            {
                Assert.Equal(Bits(expected.AsSpan(r * p.Ldc, n)), Bits(actual.AsSpan(r * p.Ldc, n)));
                Assert.All(actual.AsSpan(r * p.Ldc + n, p.Ldc - n).ToArray(),
                    v => Assert.True(float.IsNaN(v), $"{path} {m}×{n}: wrote past column {n}"));
                for (int j = 0; j < n; j++)
                {
                    double reference = p.Reference(r, j), scale = p.Magnitude(r, j);
                    Assert.True(Math.Abs(actual[r * p.Ldc + j] - reference) <= 1e-5 * scale,
                        $"{path} {m}×{n}×({k1}+{k2}) C[{r},{j}] = {actual[r * p.Ldc + j]}, double reference {reference}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Pair_WithoutSecondTerm_EqualsBiasThenOneProduct(string pathName)
    {
        var path = SimdKernelTests.Parse(pathName);
        var kernels = new SimdMatrixKernels(path);
        var rng = new Random(13);
        foreach (var (m, n, k1, _) in Shapes)
        {
            var p = PairProblem.Random(m, n, k1, 0, rng);
            var b1 = kernels.PackNT(n, k1, p.W1, Math.Max(1, k1));
            var expected = new float[m * p.Ldc];
            for (int r = 0; r < m; r++) p.Bias.CopyTo(expected.AsSpan(r * p.Ldc, n));
            kernels.MatMulPacked(m, p.A1, p.Lda1, b1, expected, p.Ldc, accumulate: true);
            var actual = new float[m * p.Ldc];
            kernels.MatMulPackedPair(m, p.A1, p.Lda1, b1, default, 0, null, p.Bias, actual, p.Ldc);
            Assert.Equal(Bits(expected), Bits(actual));
        }
    }

    [Fact]
    public void Pair_IsBitIdenticalAcrossPaths()
    {
        var paths = SimdKernelTests.AvailablePaths();
        var rng = new Random(12);
        foreach (var (m, n, k1, k2) in Shapes)
        {
            var p = PairProblem.Random(m, n, k1, k2, rng);
            int[]? first = null;
            foreach (var path in paths)
            {
                var kernels = new SimdMatrixKernels(path);
                var c = new float[m * p.Ldc];
                kernels.MatMulPackedPair(m, p.A1, p.Lda1, kernels.PackNT(n, k1, p.W1, Math.Max(1, k1)), p.A2, p.Lda2,
                    kernels.PackNT(n, k2, p.W2, Math.Max(1, k2)), p.Bias, c, p.Ldc);
                var bits = Bits(c);
                if (first is null) first = bits;
                else Assert.True(first.SequenceEqual(bits), $"{path} differs from {paths[0]} at {m}×{n}×({k1}+{k2})");
            }
        }
    }

    [Theory]
    [InlineData(1024, 256, true)]
    [InlineData(1000, 70, true)]
    [InlineData(300, 1000, false)]
    public void PackingSplitAcrossThreads_GivesTheSameProducts(int n, int k, bool transposed)
    {
        var serial = new ComputeContext<float>(1);
        var parallel = new ComputeContext<float>(3);
        var rng = new Random(14);
        var b = Enumerable.Range(0, n * k + 5).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var a = Enumerable.Range(0, 7 * k).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        PackedMatrix<float> Pack(ComputeContext<float> ctx) => transposed ? ctx.PackNT(n, k, b, 5, null) : ctx.PackNN(n, k, b, 5, null);
        var expected = new float[7 * n];
        var actual = new float[7 * n];
        serial.Packed!.MatMulPacked(7, a, k, Pack(serial), expected, n, accumulate: false);
        parallel.Packed!.MatMulPacked(7, a, k, Pack(parallel), actual, n, accumulate: false);
        Assert.Equal(Bits(expected), Bits(actual));
    }

    [Fact]
    public void Pair_RejectsMismatchedOperands()
    {
        var kernels = new SimdMatrixKernels();
        var b1 = kernels.PackNT(8, 3, new float[24], 3);
        var b2 = kernels.PackNT(9, 2, new float[18], 2);
        var same = kernels.PackNT(8, 2, new float[16], 2);
        var e = Assert.Throws<ArgumentException>(() =>
            kernels.MatMulPackedPair(2, new float[6], 3, b1, new float[4], 2, b2, new float[9], new float[18], 9));
        Assert.Equal("b2", e.ParamName);
        e = Assert.Throws<ArgumentException>(() =>
            kernels.MatMulPackedPair(2, new float[6], 3, b1, new float[4], 2, same, new float[7], new float[16], 8));
        Assert.Equal("bias", e.ParamName);
        e = Assert.Throws<ArgumentException>(() =>
            kernels.MatMulPackedPair(2, new float[5], 3, b1, new float[4], 2, same, new float[8], new float[16], 8));
        Assert.Equal("a", e.ParamName);
    }

    private static int[] Bits(ReadOnlySpan<float> x)
    {
        var bits = new int[x.Length];
        for (int i = 0; i < x.Length; i++) bits[i] = BitConverter.SingleToInt32Bits(x[i]);
        return bits;
    }

    /// <summary>C = bias + A1·W1ᵀ + A2·W2ᵀ with W1 [n × k1], W2 [n × k2] row-major and padded leading dimensions.</summary>
    private sealed record PairProblem(int M, int N, int K1, int K2, float[] A1,
        int Lda1, float[] W1, float[] A2, int Lda2, float[] W2, float[] Bias, int Ldc)
    {
        public static PairProblem Random(int m, int n, int k1, int k2, Random rng)
        {
            int lda1 = k1 + rng.Next(3), lda2 = k2 + rng.Next(3), ldc = n + rng.Next(1, 4);
            return new(m, n, k1, k2, Fill(rng, m * lda1), lda1, Fill(rng, n * k1),
                Fill(rng, m * lda2), lda2, Fill(rng, n * k2), Fill(rng, n), ldc);
        }

        public double Reference(int r, int j)
        {
            double s = Bias[j];
            for (int p = 0; p < K1; p++) s += (double)A1[r * Lda1 + p] * W1[j * K1 + p];
            for (int p = 0; p < K2; p++) s += (double)A2[r * Lda2 + p] * W2[j * K2 + p];
            return s;
        }

        public double Magnitude(int r, int j)
        {
            double s = Math.Abs(Bias[j]);
            for (int p = 0; p < K1; p++) s += Math.Abs((double)A1[r * Lda1 + p] * W1[j * K1 + p]);
            for (int p = 0; p < K2; p++) s += Math.Abs((double)A2[r * Lda2 + p] * W2[j * K2 + p]);
            return Math.Max(s, 1e-30);
        }

        private static float[] Fill(Random rng, int length)
        {
            var x = new float[length];
            for (int i = 0; i < length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
            return x;
        }
    }
}
