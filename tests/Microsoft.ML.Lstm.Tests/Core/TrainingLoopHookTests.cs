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
        Assert.Contains("first training loss is NaN",
            Assert.Throws<InvalidOperationException>(() => TrainingLoop.Run(task, Settings(patience: 0), CancellationToken.None)).Message);
        var later = new OneWeightTask { Losses = step => step < 5 ? 1 : double.PositiveInfinity };
        var e = Assert.Throws<InvalidOperationException>(() => TrainingLoop.Run(later, Settings(patience: 0), CancellationToken.None));
        Assert.Contains("diverged", e.Message);
    }

    /// <summary>Issue 17: a loss that explodes (Adam at a huge rate) stops training, naming epoch and batch.</summary>
    [Fact]
    public void ALossThatClimbsFarAboveItsStartStopsTraining()
    {
        // Batch size 2, 4 items: 2 batches per epoch. Losses 1, 1, 50, 150: the fourth (epoch 2, batch 1) is > 100 × 1.
        var task = new OneWeightTask { Losses = step => step switch { 3 => 50, 4 => 150, _ => 1 } };
        var e = Assert.Throws<InvalidOperationException>(() =>
            TrainingLoop.Run(task, Settings(patience: 0) with { BatchSize = 2 }, CancellationToken.None));
        Assert.Contains("epoch 2, batch 1", e.Message);
        Assert.Contains("150", e.Message);
        var wobbly = new OneWeightTask { Losses = step => step % 2 == 0 ? 1 : 90 };   // noisy but never 100× its start
        TrainingLoop.Run(wobbly, Settings(patience: 0) with { BatchSize = 2 }, CancellationToken.None);
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
        public Func<int, double>? Losses { get; init; }   // by forward call, from 1
        public Action? OnForward { get; init; }
        public int Steps { get; private set; }
        public float Weight => _weight.Values[0];
        public IReadOnlyList<ParameterGroup> Groups { get; }
        public bool HasValidation => true;
        public string MetricName => "none";
        public int[] PlanEpoch(Rng rng) => [0, 1, 2, 3];
        public double? Forward(ReadOnlySpan<int> items, ulong dropoutSeed)
        {
            Steps++;
            OnForward?.Invoke();
            return Losses?.Invoke(Steps) ?? Loss;
        }
        public void Backward() { }
        public (double Loss, double? Metric) Validate() => (Math.Abs(Weight - 2.5), null);
    }
}
