namespace Microsoft.ML.Lstm;

/// <summary>What happened in one epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="NumberOfEpochs">Planned epochs.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches (with dropout).</param>
/// <param name="ValidationLoss">Loss on the validation data, if any.</param>
/// <param name="ValidationMetric">Accuracy (classification) or RMSE (regression) on the validation data.</param>
/// <param name="MetricName">"accuracy" or "rmse".</param>
/// <param name="LearningRate">Learning rate used in this epoch.</param>
/// <param name="Seconds">Wall time of the epoch.</param>
/// <param name="SequencesPerSecond">Training throughput.</param>
public sealed record EpochProgress(int Epoch, int NumberOfEpochs, double TrainLoss, double? ValidationLoss, double? ValidationMetric,
    string MetricName, double LearningRate, double Seconds, double SequencesPerSecond)
{
    /// <summary>One log line.</summary>
    public override string ToString() =>
        $"epoch {Epoch}/{NumberOfEpochs}: train loss {TrainLoss:G5}" +
        (ValidationLoss is { } v ? $", validation loss {v:G5}, {MetricName} {ValidationMetric:G5}" : "") +
        $", lr {LearningRate:G3}, {Seconds:F2} s, {SequencesPerSecond:F0} seq/s";
}
