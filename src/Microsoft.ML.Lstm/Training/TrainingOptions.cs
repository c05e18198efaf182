using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>How a network is trained: loss, optimizer, batching, validation, early stopping, progress.</summary>
internal sealed class TrainingOptions
{
    /// <summary>The loss minimized.</summary>
    public LossKind Loss { get; set; } = LossKind.MeanSquaredError;

    /// <summary>δ of the Huber loss.</summary>
    public double HuberDelta { get; set; } = 1.0;

    /// <summary>Passes over the training data.</summary>
    public int NumberOfEpochs { get; set; } = 20;

    /// <summary>Sequences per mini-batch.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Initial learning rate (used when <see cref="Schedule"/> is null).</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Learning-rate schedule; null means constant <see cref="LearningRate"/>.</summary>
    public ILearningRateSchedule? Schedule { get; set; }

    /// <summary>Optimizer and its settings.</summary>
    public OptimizerOptions Optimizer { get; set; } = new();

    /// <summary>Clip gradients to this global L2 norm; 0 turns clipping off.</summary>
    public double GradientClipNorm { get; set; } = 5.0;

    /// <summary>Share of the training data held out for validation when no validation set is given.</summary>
    public double ValidationFraction { get; set; }

    /// <summary>Stop after this many epochs without a better validation loss and restore the best weights; 0 = off.</summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>Seed of shuffling, validation split and dropout masks.</summary>
    public ulong Seed { get; set; }

    /// <summary>Called after every epoch.</summary>
    public Action<EpochProgress>? Progress { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Loss)) throw new ArgumentOutOfRangeException(nameof(Loss), Loss, "Unknown loss.");
        if (NumberOfEpochs <= 0)
            throw new ArgumentOutOfRangeException(nameof(NumberOfEpochs), NumberOfEpochs, "NumberOfEpochs must be positive.");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be positive.");
        CheckLearningRate(LearningRate);
        if (!(GradientClipNorm >= 0) || double.IsInfinity(GradientClipNorm))
            throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), GradientClipNorm,
                "GradientClipNorm must be ≥ 0 (0 = off) and finite.");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "ValidationFraction must be in [0, 1).");
        if (EarlyStoppingPatience < 0)
            throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience,
                "EarlyStoppingPatience must be ≥ 0 (0 = off).");
        if (!(HuberDelta > 0)) throw new ArgumentOutOfRangeException(nameof(HuberDelta), HuberDelta, "HuberDelta must be positive.");
        ArgumentNullException.ThrowIfNull(Optimizer, nameof(Optimizer));
        Optimizer.Validate();
    }

    /// <summary>The largest learning rate accepted: far above any rate these optimizers train with.</summary>
    public const double MaxLearningRate = 10;

    /// <summary>Throws unless 0 &lt; <paramref name="rate"/> ≤ <see cref="MaxLearningRate"/>.</summary>
    public static void CheckLearningRate(double rate)
    {
        if (!(rate > 0 && rate <= MaxLearningRate))
            throw new ArgumentOutOfRangeException("LearningRate", rate,
                $"LearningRate must be in (0, {MaxLearningRate}]: Adam trains with about 1e-4 … 1e-2 and SGD with at most about 1; a " +
                "larger rate only makes training diverge.");
    }
}

/// <summary>The outcome of training.</summary>
/// <param name="History">One entry per completed epoch.</param>
/// <param name="BestEpoch">Epoch whose weights the network holds (the last one without validation).</param>
/// <param name="StoppedEarly">True when early stopping ended training.</param>
internal sealed record TrainingResult(IReadOnlyList<EpochProgress> History, int BestEpoch, bool StoppedEarly);
