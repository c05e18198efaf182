using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// Training sequences that are read anew for every pass instead of being held in memory (<see cref="TrainingLoop.TrainStreamed"/>):
/// an implementation keeps at most its shuffle pool of samples alive, whatever the number of rows. Every pass must see the
/// same rows in the same order, so that a seed gives the same model.
/// </summary>
internal interface ISequenceStream
{
    /// <summary>F, or K for token samples.</summary>
    int FeaturesPerStep { get; }

    /// <summary>Whether some rows are held out (<see cref="Validation"/> yields them).</summary>
    bool HasValidation { get; }

    /// <summary>The training samples of one epoch, in an order drawn from <paramref name="rng"/>.</summary>
    IEnumerable<SequenceSample> Training(Rng rng);

    /// <summary>The held-out samples, in row order.</summary>
    IEnumerable<SequenceSample> Validation();
}
