using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Kernels;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.Kernels;

/// <summary>
/// <see cref="SimdMatrixKernels"/> on every path this machine supports: accuracy against a double
/// reference (odd sizes, leading dimensions, offsets, accumulate), bit-identical rows whatever the row
/// split, paths and packed products identical to each other, no steady-state allocation.
/// </summary>
public class SimdKernelTests(ITestOutputHelper output)
{
    public enum Op { NT, NN, TN }

    private const double Tolerance = 1e-5;

    internal static KernelPath[] AvailablePaths() => Enum.GetValues<KernelPath>().Where(KernelPaths.IsSupported).ToArray();

    /// <summary>The supported paths by name (<see cref="KernelPath"/> is internal; theory arguments of public tests cannot be).</summary>
    public static TheoryData<string> Paths() => new(AvailablePaths().Select(p => p.ToString()));

    internal static KernelPath Parse(string path) => Enum.Parse<KernelPath>(path);

    /// <summary>
    /// The products of the LSTM for shapes a–d (B, T, I, H): projection, recurrent step, backward step, weight gradients, dX.
    /// </summary>
    public static TheoryData<Op, int, int, int> LstmShapes()
    {
        var data = new TheoryData<Op, int, int, int>();
        var seen = new HashSet<(Op, int, int, int)>();
        foreach (var (b, t, i, h) in new[] { (32, 50, 16, 64), (64, 100, 32, 128),
            (1, 50, 16, 64), (32, 100, 64, 256), (32, 100, 256, 256) })
        {
            int rows = t * b, g = 4 * h;
            foreach (var s in new[] { (Op.NT, rows, g, i), (Op.NT, b, g, h), (Op.NN, b, h, g),
                (Op.TN, g, i, rows), (Op.TN, g, h, rows), (Op.NN, rows, i, g) })
                if (seen.Add(s)) data.Add(s.Item1, s.Item2, s.Item3, s.Item4);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void RandomShapes_MatchDoubleReference(string pathName)
    {
        var path = Parse(pathName);
        var kernels = new SimdMatrixKernels(path);
        var rng = new Random(12345 + (int)path);
        var shapes = new List<(int, int, int)> { (1, 1, 1), (70, 70, 70), (4, 64, 1),
            (5, 65, 17), (1, 16, 16), (3, 17, 255), (6, 33, 257), (9, 70, 600), (2, 129, 3) };
        for (int s = 0; s < 60; s++) shapes.Add((1 + rng.Next(70), 1 + rng.Next(70), 1 + rng.Next(70)));
        foreach (var op in Enum.GetValues<Op>())
            foreach (var (m, n, k) in shapes)
                foreach (bool acc in new[] { false, true })
                {
                    var p = Problem.Random(op, m, n, k, rng, padded: true);
                    double worst = p.RunAndCheck(kernels, acc, sampleLimit: int.MaxValue);
                    Assert.True(worst <= Tolerance, $"{path} {op} m={m} n={n} k={k} acc={acc}: relative error {worst:E2}");
                }
    }

    [Theory]
    [MemberData(nameof(LstmShapes))]
    public void LstmShapes_MatchDoubleReference_OnEveryPath(Op op, int m, int n, int k)
    {
        var rng = new Random(m * 31 + n * 7 + k);
        var p = Problem.Random(op, m, n, k, rng, padded: false);
        foreach (var path in AvailablePaths())
        {
            double worst = p.RunAndCheck(new SimdMatrixKernels(path), accumulate: true, sampleLimit: 4000);
            output.WriteLine($"{path} {op} {m}×{n}×{k}: max relative error {worst:E2}");
            Assert.True(worst <= Tolerance, $"{path} {op} m={m} n={n} k={k}: relative error {worst:E2}");
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void RowResults_AreBitIdentical_WhateverTheRowSplit(string pathName)
    {
        var path = Parse(pathName);
        var kernels = new SimdMatrixKernels(path);
        var rng = new Random(7);
        foreach (var op in Enum.GetValues<Op>())
            foreach (var (m, n, k) in new[] { (37, 70, 45), (13, 256, 64), (9, 33, 300), (6, 16, 5) })
                foreach (bool acc in new[] { false, true })
                {
                    var p = Problem.Random(op, m, n, k, rng, padded: true);
                    var whole = p.Run(kernels, acc, 0, m);
                    for (int i = 0; i < m; i++)
                        AssertRowsEqual(p, whole, p.Run(kernels, acc, i, i + 1), i, i + 1, $"{op} row {i} alone");
                    for (int trial = 0; trial < 5; trial++)
                    {
                        int s = rng.Next(m), e = s + 1 + rng.Next(m - s);
                        AssertRowsEqual(p, whole, p.Run(kernels, acc, s, e), s, e, $"{op} rows {s}..{e}");
                    }
                }
    }

    [Fact]
    public void AllPaths_AreBitIdentical()
    {
        var paths = AvailablePaths().ToArray();
        var rng = new Random(99);
        foreach (var op in Enum.GetValues<Op>())
            foreach (var (m, n, k) in new[] { (37, 70, 45), (5, 257, 300), (1, 256, 64) })
            {
                var p = Problem.Random(op, m, n, k, rng, padded: true);
                var expected = p.Run(new SimdMatrixKernels(KernelPath.Scalar), true, 0, m);
                foreach (var path in paths)
                    AssertRowsEqual(p, expected, p.Run(new SimdMatrixKernels(path), true, 0, m), 0, m, $"{op} {path} vs Scalar");
            }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void PackedProducts_AreBitIdenticalToPlainOnes_AndReuseStorage(string pathName)
    {
        var path = Parse(pathName);
        var kernels = new SimdMatrixKernels(path);
        var rng = new Random(5);
        PackedMatrix<float>? packed = null;
        foreach (var (m, n, k) in new[] { (32, 256, 64), (3, 70, 45), (1, 1024, 256), (7, 17, 300) })
            foreach (var op in new[] { Op.NT, Op.NN })
            {
                var p = Problem.Random(op, m, n, k, rng, padded: true);
                var plain = p.Run(kernels, true, 0, m);
                var previous = packed;
                packed = op == Op.NT
                    ? kernels.PackNT(n, k, p.B.AsSpan(p.BOff), p.Ldb, packed)
                    : kernels.PackNN(n, k, p.B.AsSpan(p.BOff), p.Ldb, packed);
                Assert.Equal(n, packed.N);
                Assert.Equal(k, packed.K);
                if (previous is not null && n * k <= 256 * 64) Assert.Same(previous, packed);   // small enough to fit the first buffer
                var c = (float[])p.C0.Clone();
                kernels.MatMulPacked(m, p.A.AsSpan(p.AOff), p.Lda, packed, c.AsSpan(p.COff), p.Ldc, accumulate: true);
                AssertRowsEqual(p, plain, c, 0, m, $"{op} packed {m}×{n}×{k}");
            }
        Assert.Throws<ArgumentException>(() => kernels.MatMulPacked(1, new float[64], 64, new ForeignPacked(), new float[64], 64, false));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void SteadyState_DoesNotAllocate(string pathName)
    {
        var path = Parse(pathName);
        var kernels = new SimdMatrixKernels(path);
        var rng = new Random(3);
        var pnt = Problem.Random(Op.NT, 16, 256, 64, rng, padded: false);
        var pnn = Problem.Random(Op.NN, 16, 70, 256, rng, padded: false);
        var ptn = Problem.Random(Op.TN, 64, 33, 300, rng, padded: false);
        var packed = kernels.PackNT(256, 64, pnt.B, pnt.Ldb);
        void Round()
        {
            kernels.MatMulNT(16, 256, 64, pnt.A, pnt.Lda, pnt.B, pnt.Ldb, pnt.C0, pnt.Ldc, true);
            kernels.MatMulNN(16, 70, 256, pnn.A, pnn.Lda, pnn.B, pnn.Ldb, pnn.C0, pnn.Ldc, false);
            kernels.MatMulTN(64, 33, 300, ptn.A, ptn.Lda, ptn.B, ptn.Ldb, ptn.C0, ptn.Ldc, false);
            kernels.PackNT(256, 64, pnt.B, pnt.Ldb, packed);
            kernels.MatMulPacked(16, pnt.A, pnt.Lda, packed, pnt.C0, pnt.Ldc, false);
        }
        Round();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Round();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ComputeContext_DefaultsToSimdForFloat_AndIsThreadCountInvariant()
    {
        Assert.IsType<SimdMatrixKernels>(KernelSelector.Best<float>());
        Assert.IsType<ReferenceMatrixKernels<double>>(KernelSelector.Best<double>());
        Assert.IsType<SimdMatrixKernels>(new ComputeContext<float>(1).Kernels);
        Assert.IsType<ReferenceMatrixKernels<double>>(new ComputeContext<double>(1).Kernels);

        var rng = new Random(11);
        foreach (var (op, m, n, k) in new[] { (Op.NT, 203, 96, 40), (Op.NN, 203, 40, 96), (Op.TN, 96, 40, 203) })
        {
            var p = Problem.Random(op, m, n, k, rng, padded: false);
            float[] Run(int threads)
            {
                var ctx = new ComputeContext<float>(threads);
                var c = (float[])p.C0.Clone();
                switch (op)
                {
                    case Op.NT: ctx.MatMulNT(m, n, k, p.A, 0, p.Lda, p.B, 0, p.Ldb, c, 0, p.Ldc, true); break;
                    case Op.NN: ctx.MatMulNN(m, n, k, p.A, 0, p.Lda, p.B, 0, p.Ldb, c, 0, p.Ldc, true); break;
                    default: ctx.MatMulTN(m, n, k, p.A, 0, p.Lda, p.B, 0, p.Ldb, c, 0, p.Ldc, true); break;
                }
                return c;
            }
            var one = Run(1);
            foreach (int threads in new[] { 2, 3, 7 }) Assert.Equal(Bits(one), Bits(Run(threads)));
        }
    }

    [Fact]
    public void Paths_ThrowWhenUnsupported()
    {
        foreach (var path in Enum.GetValues<KernelPath>())
        {
            if (KernelPaths.IsSupported(path)) Assert.Equal(path, new SimdMatrixKernels(path).Path);
            else Assert.Throws<NotSupportedException>(() => new SimdMatrixKernels(path));
        }
        Assert.Throws<NotSupportedException>(() => new SimdMatrixKernels((KernelPath)99));
        Assert.Equal(KernelPaths.Default, new SimdMatrixKernels().Path);
        Assert.True(KernelPaths.IsSupported(KernelPath.Scalar));
    }

    [Fact]
    public void BadArguments_Throw_AndEmptyProductsWork()
    {
        var k = new SimdMatrixKernels();
        Assert.Throws<ArgumentException>(() => k.MatMulNT(2, 2, 2, new float[3], 2, new float[4], 2, new float[4], 2, false));
        Assert.Throws<ArgumentException>(() => k.MatMulNN(2, 2, 2, new float[4], 2, new float[3], 2, new float[4], 2, false));
        Assert.Throws<ArgumentException>(() => k.MatMulTN(2, 2, 2, new float[4], 2, new float[4], 2, new float[3], 2, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => k.MatMulNT(-1, 2, 2, new float[4], 2, new float[4], 2, new float[4], 2, false));
        var c = new float[] { 1, 2, 3, 4 };
        k.MatMulNT(2, 2, 0, [], 0, [], 0, c, 2, accumulate: true);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, c);
        k.MatMulNN(2, 2, 0, [], 0, [], 0, c, 2, accumulate: false);
        Assert.Equal(new float[4], c);
        k.MatMulTN(0, 0, 5, [], 0, [], 0, [], 0, accumulate: false);
    }

    private static int[] Bits(float[] x) => x.Select(BitConverter.SingleToInt32Bits).ToArray();

    private static void AssertRowsEqual(Problem p, float[] expected, float[] actual, int s, int e, string what)
    {
        for (int i = s; i < e; i++)
            for (int j = 0; j < p.N; j++)
            {
                int at = p.COff + i * p.Ldc + j;
                if (BitConverter.SingleToInt32Bits(expected[at]) != BitConverter.SingleToInt32Bits(actual[at]))
                    Assert.Fail($"{what}: C[{i},{j}] = {actual[at]:R}, expected {expected[at]:R} (bit-identical).");
            }
    }

    private sealed class ForeignPacked : PackedMatrix<float>;

    /// <summary>One product with padded operands: A, B, C at offsets with leading dimensions ≥ their widths.</summary>
    private sealed class Problem
    {
        public Op Op;
        public int M, N, K, Lda, Ldb, Ldc, AOff, BOff, COff;
        public float[] A = [], B = [], C0 = [];

        public static Problem Random(Op op, int m, int n, int k, Random rng, bool padded)
        {
            int Pad() => padded ? rng.Next(6) : 0;
            var p = new Problem { Op = op, M = m, N = n, K = k, AOff = Pad(), BOff = Pad(), COff = Pad() };
            (int aRows, int aCols) = op == Op.TN ? (k, m) : (m, k);
            (int bRows, int bCols) = op == Op.NT ? (n, k) : (k, n);
            p.Lda = aCols + Pad(); p.Ldb = bCols + Pad(); p.Ldc = n + Pad();
            p.A = Fill(rng, p.AOff + aRows * p.Lda + Pad());
            p.B = Fill(rng, p.BOff + bRows * p.Ldb + Pad());
            p.C0 = Fill(rng, p.COff + m * p.Ldc + Pad());
            return p;
        }

        private static float[] Fill(Random rng, int length)
        {
            var x = new float[length];
            for (int i = 0; i < length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
            return x;
        }

        private float AAt(int i, int p) => Op == Op.TN ? A[AOff + p * Lda + i] : A[AOff + i * Lda + p];
        private float BAt(int p, int j) => Op == Op.NT ? B[BOff + j * Ldb + p] : B[BOff + p * Ldb + j];

        /// <summary>C after the product of rows [s, e) only, in one kernel call (C0 elsewhere).</summary>
        public float[] Run(IMatrixKernels<float> kernels, bool accumulate, int s, int e)
        {
            var c = (float[])C0.Clone();
            var cs = c.AsSpan(COff + s * Ldc);
            int rows = e - s;
            switch (Op)
            {
                case Op.NT: kernels.MatMulNT(rows, N, K, A.AsSpan(AOff + s * Lda), Lda, B.AsSpan(BOff), Ldb, cs, Ldc, accumulate); break;
                case Op.NN: kernels.MatMulNN(rows, N, K, A.AsSpan(AOff + s * Lda), Lda, B.AsSpan(BOff), Ldb, cs, Ldc, accumulate); break;
                default: kernels.MatMulTN(rows, N, K, A.AsSpan(AOff + s), Lda, B.AsSpan(BOff), Ldb, cs, Ldc, accumulate); break;
            }
            return c;
        }

        /// <summary>
        /// Runs the product and returns the worst |c − ref| / (|c0| + Σ|a·b|) over all elements, or over a
        /// random sample of <paramref name="sampleLimit"/> of them; elements outside C's m×n block must be untouched.
        /// </summary>
        public double RunAndCheck(IMatrixKernels<float> kernels, bool accumulate, int sampleLimit)
        {
            var c = Run(kernels, accumulate, 0, M);
            var inside = new bool[c.Length];
            for (int i = 0; i < M; i++) for (int j = 0; j < N; j++) inside[COff + i * Ldc + j] = true;
            for (int x = 0; x < c.Length; x++)
                if (!inside[x] && BitConverter.SingleToInt32Bits(c[x]) != BitConverter.SingleToInt32Bits(C0[x]))
                    Assert.Fail($"{Op} {M}×{N}×{K}: C[{x}] outside the product was written.");

            var rng = new Random(M + N + K);
            long total = (long)M * N;
            double worst = 0;
            for (long e = 0; e < Math.Min(total, sampleLimit); e++)
            {
                long idx = total <= sampleLimit ? e : rng.NextInt64(total);
                int i = (int)(idx / N), j = (int)(idx % N);
                double c0 = accumulate ? C0[COff + i * Ldc + j] : 0, sum = c0, scale = Math.Abs(c0);
                for (int p = 0; p < K; p++)
                {
                    double t = (double)AAt(i, p) * BAt(p, j);
                    sum += t; scale += Math.Abs(t);
                }
                double err = Math.Abs(c[COff + i * Ldc + j] - sum) / Math.Max(scale, 1e-30);
                worst = Math.Max(worst, err);
            }
            return worst;
        }
    }
}
