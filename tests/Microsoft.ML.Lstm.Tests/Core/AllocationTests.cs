using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Kernels;
using Microsoft.ML.Lstm.Tests.MLNet;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>
/// Tests that count every byte the process allocates: no other test may run meanwhile
/// (<c>GC.GetTotalAllocatedBytes</c> sees all threads, the worker pool's included).
/// </summary>
[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection;

/// <summary>
/// After a warm-up on the same shapes, a training step (forward, loss, BPTT, clipping, Adam) and an
/// inference forward allocate nothing, on one thread or split across the worker pool; nor does scoring a
/// sequence through a reused batch or an ML.NET prediction engine.
/// </summary>
[Collection(nameof(AllocationCollection))]
public class AllocationTests(ITestOutputHelper output)
{
    private const int Steps = 12, Batch = 9, WarmUp = 3, Measured = 20, Windows = 20;
    private static readonly int[] Lengths = [12, 3, 7, 1, 12, 9, 5, 11, 2];

    private static LstmNetworkSpec Spec(bool bidirectional) => new()
    {
        InputSize = 5, HiddenSize = 16, NumberOfLayers = 2, Bidirectional = bidirectional,
        Dropout = 0.3, RecurrentDropout = 0.2, Head = HeadKind.ManyToMany, OutputSize = 3,
    };

    public static TheoryData<int, bool> Cases() => new() { { 1, false }, { 1, true }, { 2, false }, { 2, true } };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TrainingStep_AfterWarmUp_AllocatesNothing(int threads, bool bidirectional) =>
        TrainingStepAllocatesNothing(Spec(bidirectional), threads,
            $"training step, {threads} thread(s), {(bidirectional ? "bi" : "uni")}directional");

    /// <summary>Forward, loss, backward, clipping and an Adam step, after warm-up, on a padded batch.</summary>
    private void TrainingStepAllocatesNothing(LstmNetworkSpec spec, int threads, string what)
    {
        var net = LstmTestKit.CreateNetwork<float>(spec, seed: 3, threads);
        var rng = new Rng(4);
        var batch = LstmTestKit.RandomBatch<float>(spec, Steps, Lengths, rng, initialState: false);
        bool perStep = spec.Head == HeadKind.ManyToMany;
        int rows = perStep ? Steps * Batch : Batch, O = spec.OutputSize;
        var targets = new LossTargets<float>(LstmTestKit.Gaussian<float>(rng, rows * O));
        var valid = new bool[rows];
        for (int r = 0; r < rows; r++) valid[r] = !perStep || r / Batch < Lengths[r % Batch];
        var ws = net.CreateWorkspace();
        var grads = net.Parameters.ZerosLike();
        var loss = Losses.Create<float>(LossKind.MeanSquaredError);
        var optimizer = new Adam<float>();
        var dy = new float[rows * O];

        AssertAllocatesNothing(step =>
        {
            var y = net.Forward(ws, batch, training: true, dropoutSeed: (ulong)step);
            loss.Compute(y, rows, O, targets, valid, dy);
            net.Backward(ws, dy, grads);
            GradientClipping.ClipByGlobalNorm(grads, 1.0);
            optimizer.Step(net.Parameters, grads, 1e-3);
        }, what);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void InferenceForward_AfterWarmUp_AllocatesNothing(int threads, bool bidirectional)
    {
        var spec = Spec(bidirectional);
        var net = LstmTestKit.CreateNetwork<float>(spec, seed: 5, threads);
        var batch = LstmTestKit.RandomBatch<float>(spec, Steps, Lengths, new Rng(6), initialState: true);
        var ws = net.CreateWorkspace();
        AssertAllocatesNothing(_ => net.Forward(ws, batch), $"inference, {threads} thread(s), {(bidirectional ? "bi" : "uni")}directional");
    }

    [Theory]
    [InlineData(PoolingKind.Mean)]
    [InlineData(PoolingKind.Max)]
    [InlineData(PoolingKind.Attention)]
    public void PooledHead_TrainingStep_AfterWarmUp_AllocatesNothing(object pooling) =>
        TrainingStepAllocatesNothing(Spec(bidirectional: true) with { Head = HeadKind.ManyToOne, Pooling = (PoolingKind)pooling },
            threads: 2, $"training step, {pooling} pooling");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SingleSequence_ReusedBatch_AllocatesNothing(int threads)
    {
        var spec = Spec(bidirectional: true) with { Head = HeadKind.ManyToOne };
        var net = LstmTestKit.CreateNetwork<float>(spec, seed: 7, threads);
        var x = LstmTestKit.Gaussian<float>(new Rng(8), Steps * spec.InputSize);
        var ws = net.CreateWorkspace();
        var batch = new SequenceBatch<float>(Steps, 1, spec.InputSize, x);
        // A prediction engine's rows: one sequence at a time, of varying length (the longest first), in one reused batch.
        AssertAllocatesNothing(step =>
        {
            batch.Reset(Steps - step % Steps, 1, spec.InputSize, x);
            net.Forward(ws, batch);
        }, $"single sequence, {threads} thread(s)");
    }

    [Fact]
    public void PredictionEngine_AfterWarmUp_AllocatesNothingPerRow()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Regression.Trainers.Lstm(LstmTestData.Options(nameof(SeqRow.Value), epochs: 2)).Fit(LstmTestData.Load(ml, 100, 11));
        var rows = LstmTestData.Rows(40, 12);   // 6..12 steps each
        var engine = ml.Model.CreatePredictionEngine<SeqRow, ValuePrediction>(model);
        var prediction = new ValuePrediction();
        AssertAllocatesNothing(step => engine.Predict(rows[step % rows.Count], ref prediction),
            "PredictionEngine.Predict", warmUp: rows.Count);
    }

    /// <summary>
    /// Runs <paramref name="step"/> <paramref name="warmUp"/> times, then asserts that windows of further steps
    /// allocate nothing: exactly nothing on the calling thread and the worker pool's threads in every window, and
    /// nothing in the whole process in at least one of up to <see cref="Windows"/> windows. The process count also
    /// sees other threads of the test process (the runner reporting earlier tests, finalizers, a few hundred bytes
    /// every few tens of milliseconds on a loaded machine), so a dirty window is retried with fewer steps — 20, then
    /// 5, then 1 — to fit between them; an allocation in every step, on any thread, still dirties every window.
    /// </summary>
    private void AssertAllocatesNothing(Action<int> step, string what, int warmUp = WarmUp)
    {
        int i = 0;
        for (; i < warmUp; i++) step(i);
        var process = new List<long>();
        do
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(20);
            int steps = process.Count < 5 ? Measured : process.Count < 10 ? 5 : 1;
            long before = GC.GetTotalAllocatedBytes(precise: true), oursBefore = OurThreadsAllocatedBytes();
            for (int n = 0; n < steps; n++, i++) step(i);
            long ours = OurThreadsAllocatedBytes() - oursBefore;
            process.Add(GC.GetTotalAllocatedBytes(precise: true) - before);
            Assert.True(ours == 0,
                $"{what}: the calling thread and the worker pool allocated {ours} bytes in {steps} steps after warm-up.");
        }
        while (process[^1] > 0 && process.Count < Windows);
        output.WriteLine($"{what}: bytes allocated by the process per window (20, 5, then 1 step): {string.Join(", ", process)}");
        Assert.True(process[^1] == 0,
            $"{what}: the process allocated {process.Min()} or more bytes in every window after warm-up, down to one step.");
    }

    private static long OurThreadsAllocatedBytes() => GC.GetAllocatedBytesForCurrentThread() + WorkerPool.Shared.WorkerAllocatedBytes;
}
