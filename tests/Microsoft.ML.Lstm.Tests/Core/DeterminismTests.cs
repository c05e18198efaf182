using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Kernels;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>
/// Same seeds give bit-identical weights, outputs and gradients: across runs, across workspaces and for any
/// thread count, with layer and recurrent dropout active.
/// </summary>
public class DeterminismTests
{
    // Large enough that ComputeContext splits the sweeps (per sample) and the GEMMs (per row block).
    private const int Steps = 13, Batch = 37;
    private const ulong WeightSeed = 2024, DataSeed = 7, DropoutSeed = 31;

    private static LstmNetworkSpec Spec(HeadKind head = HeadKind.ManyToMany, double dropout = 0.3, double recurrentDropout = 0.25) => new()
    {
        InputSize = 9, HiddenSize = 24, NumberOfLayers = 2, Bidirectional = true,
        Dropout = dropout, RecurrentDropout = recurrentDropout, Head = head, OutputSize = 4,
    };

    /// <summary>A batch with lengths 1..Steps (at least one full), initial states and upstream gradients.</summary>
    private static (SequenceBatch<float> Batch, float[] DOut, float[] DHn, float[] DCn) Problem(LstmNetworkSpec spec, int batchSize)
    {
        var rng = new Rng(DataSeed);
        var lengths = Enumerable.Range(0, batchSize).Select(b => b == batchSize / 2 ? Steps : 1 + rng.NextInt(Steps)).ToArray();
        var batch = LstmTestKit.RandomBatch<float>(spec, Steps, lengths, rng, initialState: true);
        int rows = spec.Head == HeadKind.ManyToMany ? Steps * batchSize : batchSize;
        int stateLen = spec.NumberOfLayers * spec.Directions * batchSize * spec.HiddenSize;
        return (batch, LstmTestKit.Gaussian<float>(rng, rows * spec.OutputSize), LstmTestKit.Gaussian<float>(rng, stateLen),
            LstmTestKit.Gaussian<float>(rng, stateLen));
    }

    private static PassResult<float> Run(LstmNetworkSpec spec, int threads,
        int batchSize, bool training = true, ulong dropoutSeed = DropoutSeed,
        IMatrixKernels<float>? kernels = null)
    {
        var net = LstmTestKit.CreateNetwork<float>(spec, WeightSeed);
        net.Compute = new ComputeContext<float>(threads, kernels);
        Assert.Equal(threads, net.Compute.NumberOfThreads);
        var (batch, dOut, dHn, dCn) = Problem(spec, batchSize);
        return LstmTestKit.Run(net, net.CreateWorkspace(), batch, dOut, dHn, dCn, training, dropoutSeed);
    }

    [Fact]
    public void Initialize_SameSeed_GivesBitIdenticalParameters()
    {
        var spec = Spec() with { VocabularySize = 11 };
        var a = new LstmNetwork<float>(spec);
        var b = new LstmNetwork<float>(spec, new ComputeContext<float>(3));
        a.Initialize(WeightSeed);
        b.Parameters.Values.AsSpan().Fill(123f);   // Initialize must not depend on previous values
        b.Initialize(WeightSeed);
        LstmTestKit.AssertBitIdentical<float>(a.Parameters.Values, b.Parameters.Values, "parameters");

        a.Initialize(WeightSeed + 1);
        foreach (var slot in a.Parameters.Slots.Where(s =>
            !s.Name.EndsWith("b_ih", StringComparison.Ordinal) && !s.Name.EndsWith("b_hh", StringComparison.Ordinal) && s.Name != "head.b"))
            Assert.False(a.Parameters[slot.Name].SequenceEqual(b.Parameters[slot.Name]),
                $"{slot.Name} is the same for seeds {WeightSeed} and {WeightSeed + 1}.");

        var d1 = new LstmNetwork<double>(spec);
        var d2 = new LstmNetwork<double>(spec);
        d1.Initialize(WeightSeed);
        d2.Initialize(WeightSeed);
        LstmTestKit.AssertBitIdentical<double>(d1.Parameters.Values, d2.Parameters.Values, "double parameters");
    }

    [Theory]
    [InlineData(HeadKind.ManyToMany)]
    [InlineData(HeadKind.ManyToOne)]
    public void SameSeeds_TwoRuns_AreBitIdentical(object head)
    {
        var spec = Spec((HeadKind)head);
        var first = Run(spec, threads: 1, Batch);
        LstmTestKit.AssertBitIdentical(first, Run(spec, threads: 1, Batch), "fresh network and workspace");

        // The same network and workspace again, after a pass on a different batch has resized its buffers.
        var net = LstmTestKit.CreateNetwork<float>(spec, WeightSeed, threads: 1);
        var ws = net.CreateWorkspace();
        var (batch, dOut, dHn, dCn) = Problem(spec, Batch);
        var (small, smallDOut, _, _) = Problem(spec, 5);
        LstmTestKit.AssertBitIdentical(first,
            LstmTestKit.Run(net, ws, batch, dOut, dHn, dCn, training: true, DropoutSeed), "reused network");
        LstmTestKit.Run(net, ws, small, smallDOut, training: true, dropoutSeed: DropoutSeed + 5);
        LstmTestKit.AssertBitIdentical(first,
            LstmTestKit.Run(net, ws, batch, dOut, dHn, dCn, training: true, DropoutSeed), "reused workspace");
    }

    [Theory]
    [InlineData(2, Batch, HeadKind.ManyToMany)]
    [InlineData(3, Batch, HeadKind.ManyToMany)]
    [InlineData(3, Batch, HeadKind.ManyToOne)]
    [InlineData(3, 10, HeadKind.ManyToMany)]
    [InlineData(4, 7, HeadKind.ManyToOne)]
    [InlineData(5, Batch, HeadKind.ManyToMany)]
    public void ThreadCount_DoesNotChangeAnyBit(int threads, int batchSize, object head)
    {
        Assert.NotEqual(0, batchSize % threads);
        var spec = Spec((HeadKind)head);
        var one = new RecurrentStepRecorder(spec.HiddenSize);
        var many = new RecurrentStepRecorder(spec.HiddenSize);
        LstmTestKit.AssertBitIdentical(Run(spec, threads: 1, batchSize, kernels: one),
            Run(spec, threads, batchSize, kernels: many), $"{threads} threads vs 1");

        // The work really was split: one thread sweeps all samples at once, several threads sweep ranges of at
        // most ⌈B / threads⌉ samples.
        Assert.Equal(batchSize, one.MaxRows);
        Assert.Equal((batchSize + threads - 1) / threads, many.MaxRows);
    }

    /// <summary>Reference kernels that record the largest row count of the recurrent products h·W_hhᵀ.</summary>
    private sealed class RecurrentStepRecorder(int hidden) : IMatrixKernels<float>
    {
        private readonly IMatrixKernels<float> _inner = ReferenceMatrixKernels<float>.Instance;
        private int _maxRows;

        public int MaxRows => Volatile.Read(ref _maxRows);

        public void MatMulNT(int m, int n, int k, ReadOnlySpan<float> a, int lda,
            ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
        {
            if (n == LstmLayout.Gates * hidden && k == hidden && accumulate)
            {
                int seen;
                while ((seen = Volatile.Read(ref _maxRows)) < m && Interlocked.CompareExchange(ref _maxRows, m, seen) != seen) { }
            }
            _inner.MatMulNT(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        }

        public void MatMulNN(int m, int n, int k, ReadOnlySpan<float> a, int lda,
            ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate) =>
            _inner.MatMulNN(m, n, k, a, lda, b, ldb, c, ldc, accumulate);

        public void MatMulTN(int m, int n, int k, ReadOnlySpan<float> a, int lda,
            ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate) =>
            _inner.MatMulTN(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
    }

    [Theory]
    [InlineData(0.3, 0.25)]
    [InlineData(0.3, 0.0)]
    [InlineData(0.0, 0.25)]
    public void DropoutSeed_ChangesTrainingPassesOnly(double dropout, double recurrentDropout)
    {
        var spec = Spec(HeadKind.ManyToMany, dropout, recurrentDropout);
        var a = Run(spec, threads: 2, Batch, training: true, dropoutSeed: 1);
        var b = Run(spec, threads: 2, Batch, training: true, dropoutSeed: 2);
        int valid = Problem(spec, Batch).Batch.Lengths.Sum() * spec.OutputSize;
        int differ = a.Output.Zip(b.Output).Count(p => p.First != p.Second);
        Assert.True(differ > valid / 2, $"Only {differ} of {valid} valid outputs differ between dropout seeds 1 and 2.");
        Assert.False(a.ParameterGradient.SequenceEqual(b.ParameterGradient), "Parameter gradients do not depend on the dropout seed.");

        // Inference ignores the dropout seed and differs from training.
        var i1 = Run(spec, threads: 2, Batch, training: false, dropoutSeed: 1);
        LstmTestKit.AssertBitIdentical(i1, Run(spec, threads: 2, Batch, training: false, dropoutSeed: 2),
            "inference with another dropout seed");
        Assert.False(i1.Output.SequenceEqual(a.Output), "Training with dropout gives the inference outputs.");
    }
}
