namespace Microsoft.ML.Lstm.Training;

/// <summary>How <see cref="TrainingLoop.Run"/> iterates, shared by the sequence trainers and the forecaster.</summary>
/// <param name="NumberOfEpochs">Passes over the items of <see cref="ITrainingTask{TItem}.PlanEpoch"/>.</param>
/// <param name="BatchSize">Items per optimizer step.</param>
/// <param name="Schedule">Learning rate of each epoch.</param>
/// <param name="GradientClipNorm">Each group's gradients are clipped to this global L2 norm; 0 turns clipping off.</param>
/// <param name="EarlyStoppingPatience">With validation: stop after this many epochs without a better validation loss; 0 = off.</param>
/// <param name="Seed">Dropout masks of epoch e, batch b come from <c>Rng.Derive(Seed, e·2³² + b)</c>.</param>
/// <param name="ShuffleStream">The shuffler draws from <c>Rng.Derive(Seed, ShuffleStream)</c>; each caller keeps the
/// stream it always used, so that a seed still gives the same weights.</param>
/// <param name="WeightAveraging">Decay of an exponential moving average of the weights over steps, which is what
/// is validated and kept; null trains and keeps the raw weights.</param>
/// <param name="Progress">Called after every epoch.</param>
/// <param name="WeightAveragingWarmUp">Whether the average's decay warms up over the first steps (<see cref="WeightAverage"/>).</param>
internal sealed record LoopSettings(int NumberOfEpochs, int BatchSize, ILearningRateSchedule Schedule, double GradientClipNorm,
    int EarlyStoppingPatience, ulong Seed, ulong ShuffleStream, double? WeightAveraging = null, Action<EpochProgress>? Progress = null,
    bool WeightAveragingWarmUp = false);
