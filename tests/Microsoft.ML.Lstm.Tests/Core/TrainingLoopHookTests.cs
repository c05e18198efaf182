using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>The shared training loop's bookkeeping, seen through a one-weight task: SGD adds 1 to the weight every step.</summary>
public class TrainingLoopHookTests
{
    [Fact]
    public void EarlyStoppingRestoresTheBestWeights()
    {
        // Weights after epochs 1..4: 1, 2, 3, 4; validation |w − 2.5| = 1.5, 0.5, 0.5 (not better), 1.5.
        var task = new OneWeightTask();
        var result = TrainingLoop.Run(task, Settings(patience: 2), CancellationToken.None);
        Assert.Equal((2, true, 4), (result.BestEpoch, result.StoppedEarly, result.History.Count));
        Assert.Equal(2f, task.Weight);
    }

    [Fact]
    public void WeightAveragingIsValidatedAndKept()
    {
        // Averages (decay 0.5) after epochs 1..4: 0.5, 1.25, 2.125, 3.0625; validation |a − 2.5| is best at epoch 3.
        var task = new OneWeightTask();
        var result = TrainingLoop.Run(task, Settings(patience: 1, averaging: 0.5), CancellationToken.None);
        Assert.Equal((3, true, 4), (result.BestEpoch, result.StoppedEarly, result.History.Count));
        Assert.Equal(2.125f, task.Weight);
    }

    [Fact]
    public void NonFiniteLossStopsTraining()
    {
        var task = new OneWeightTask { Loss = double.NaN };
        Assert.Contains("diverged",
            Assert.Throws<InvalidOperationException>(() => TrainingLoop.Run(task, Settings(patience: 0), CancellationToken.None)).Message);
    }

    [Fact]
    public void CancellationIsCheckedBeforeEveryBatch()
    {
        using var cancel = new CancellationTokenSource();
        var task = new OneWeightTask { OnForward = cancel.Cancel };
        Assert.ThrowsAny<OperationCanceledException>(() =>
            TrainingLoop.Run(task, Settings(patience: 0) with { BatchSize = 1 }, cancel.Token));
        Assert.Equal(1, task.Steps);
    }

    private static LoopSettings Settings(int patience, double? averaging = null) =>
        new(NumberOfEpochs: 10, BatchSize: 4, new ConstantSchedule(1), GradientClipNorm: 0, patience, Seed: 1, ShuffleStream: 1, averaging);

    private sealed class OneWeightTask : ITrainingTask<int>
    {
        private readonly ParameterSet<float> _weight = new([new TensorSlot("w", 0, 1, 1)]);

        public OneWeightTask()
        {
            var gradient = _weight.ZerosLike();
            gradient.Values[0] = -1;
            Groups = [new ParameterGroup(_weight, gradient, Optimizers.Create<float>(new OptimizerOptions { Kind = OptimizerKind.Sgd }))];
        }

        public double Loss { get; init; } = 1;
        public Action? OnForward { get; init; }
        public int Steps { get; private set; }
        public float Weight => _weight.Values[0];
        public IReadOnlyList<ParameterGroup> Groups { get; }
        public bool HasValidation => true;
        public string MetricName => "none";
        public int[] PlanEpoch(Rng rng) => [0, 1, 2, 3];
        public double? Forward(ReadOnlySpan<int> items, ulong dropoutSeed) { Steps++; OnForward?.Invoke(); return Loss; }
        public void Backward() { }
        public (double Loss, double? Metric) Validate() => (Math.Abs(Weight - 2.5), null);
    }
}
