namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// Stops a training run whose loss has left any sensible range, with a message naming the epoch and batch: a loss that is
/// not finite, or one more than <see cref="Factor"/> times the first batch's (at least <see cref="Floor"/>). Training that
/// works never climbs that far above where it started; a run that does has diverged (a learning rate far too high, say) and
/// would otherwise return a model that saves and scores but is useless.
/// </summary>
internal sealed class DivergenceCheck
{
    /// <summary>How far above its start the loss may climb.</summary>
    public const double Factor = 100;

    /// <summary>The smallest start the factor is taken of (a run that starts near 0 may wobble above it).</summary>
    public const double Floor = 0.01;

    private double _first = double.NaN;

    /// <exception cref="InvalidOperationException">The loss is not finite or has exploded.</exception>
    public void Check(double loss, int epoch, int batch, double rate)
    {
        bool first = double.IsNaN(_first);
        if (!double.IsFinite(loss))
            throw new InvalidOperationException(first
                ? $"The first training loss is {loss} (epoch {epoch}, batch {batch}): check the inputs and labels for extreme values."
                : $"Training diverged: the loss is {loss} in epoch {epoch}, batch {batch} (learning rate {rate:G3}). Lower the " +
                  "learning rate or enable gradient clipping.");
        if (first)
        {
            _first = loss;
            return;
        }
        double limit = Factor * Math.Max(_first, Floor);
        if (loss > limit)
            throw new InvalidOperationException(
                $"Training diverged: the loss rose to {loss:G4} in epoch {epoch}, batch {batch}, more than {Factor:G} times its first " +
                $"value {_first:G4} (learning rate {rate:G3}). Lower the learning rate or enable gradient clipping.");
    }
}
