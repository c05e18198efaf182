namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// PyTorch's <c>ReduceLROnPlateau</c> with <c>mode='min'</c>, <c>threshold_mode='rel'</c> and no
/// cooldown: a loss counts as an improvement when it is below best·(1 − threshold); after more than
/// <see cref="Patience"/> epochs in a row without improvement the rate is multiplied by
/// <see cref="Factor"/> (but not below <see cref="MinRate"/>, and only if it drops by more than 1e-8) and
/// the count restarts.
/// </summary>
/// <remarks>
/// The schedule needs a loss after each epoch; when <c>validationLoss</c> is null it holds the rate and
/// leaves its state untouched. A NaN loss counts as no improvement. A call whose epoch number is not
/// greater than the previous call's starts a new run (the best loss and counter are cleared), so one
/// instance can serve several trainings.
/// </remarks>
internal sealed class ReduceOnPlateauSchedule : ILearningRateSchedule
{
    private const double MinDecrease = 1e-8; // PyTorch's eps: smaller reductions are ignored.

    private double _best = double.PositiveInfinity;
    private int _badEpochs;
    private int _lastEpoch;

    /// <summary>Creates the schedule.</summary>
    /// <param name="initial">The learning rate of the first epoch; finite and &gt; 0.</param>
    /// <param name="factor">Multiplicative reduction, in (0, 1).</param>
    /// <param name="patience">Epochs without improvement tolerated before reducing, ≥ 0.</param>
    /// <param name="minRate">Lower bound of the rate; finite and ≥ 0.</param>
    /// <param name="threshold">Relative improvement needed to count as better, in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public ReduceOnPlateauSchedule(double initial, double factor = 0.1, int patience = 10, double minRate = 0, double threshold = 1e-4)
    {
        ScheduleChecks.Initial(initial);
        if (!(factor > 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must be in (0, 1).");
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "patience must be ≥ 0.");
        if (!(minRate >= 0 && double.IsFinite(minRate)))
            throw new ArgumentOutOfRangeException(nameof(minRate), minRate, "minRate must be finite and ≥ 0.");
        if (!(threshold >= 0 && threshold < 1))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be in [0, 1).");
        (Initial, Factor, Patience, MinRate, Threshold) = (initial, factor, patience, minRate, threshold);
    }

    /// <inheritdoc/>
    public double Initial { get; }

    /// <summary>Multiplicative reduction applied on a plateau.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement tolerated before reducing.</summary>
    public int Patience { get; }

    /// <summary>Lower bound of the rate.</summary>
    public double MinRate { get; }

    /// <summary>Relative improvement needed to count as better.</summary>
    public double Threshold { get; }

    /// <inheritdoc/>
    public double Next(int epochCompleted, double? validationLoss, double currentRate)
    {
        ScheduleChecks.Next(epochCompleted, currentRate);
        if (epochCompleted <= _lastEpoch) (_best, _badEpochs) = (double.PositiveInfinity, 0);
        _lastEpoch = epochCompleted;
        if (validationLoss is not double loss) return currentRate;

        if (loss < _best * (1 - Threshold)) (_best, _badEpochs) = (loss, 0);
        else _badEpochs++;
        if (_badEpochs <= Patience) return currentRate;

        _badEpochs = 0;
        double reduced = Math.Max(currentRate * Factor, MinRate);
        return currentRate - reduced > MinDecrease ? reduced : currentRate;
    }
}
