namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// PyTorch's <c>StepLR</c>: the rate is multiplied by <see cref="Gamma"/> after every
/// <see cref="StepSize"/>-th epoch, so epoch e (0-based) runs at initial·γ^⌊e / stepSize⌋ when nothing
/// else changes the rate. Like PyTorch's chainable form it scales the current rate, not the initial one.
/// </summary>
internal sealed class StepDecaySchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initial">The learning rate of the first epoch; finite and &gt; 0.</param>
    /// <param name="stepSize">Number of epochs between decays, ≥ 1.</param>
    /// <param name="gamma">Multiplicative decay factor, in (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public StepDecaySchedule(double initial, int stepSize, double gamma)
    {
        ScheduleChecks.Initial(initial);
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "stepSize must be ≥ 1.");
        if (!(gamma > 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be in (0, 1].");
        (Initial, StepSize, Gamma) = (initial, stepSize, gamma);
    }

    /// <inheritdoc/>
    public double Initial { get; }

    /// <summary>Number of epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>Multiplicative decay factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    /// <returns><paramref name="currentRate"/>·γ when <paramref name="epochCompleted"/> is a multiple of the step size, else
    /// <paramref name="currentRate"/>.</returns>
    public double Next(int epochCompleted, double? validationLoss, double currentRate)
    {
        ScheduleChecks.Next(epochCompleted, currentRate);
        return epochCompleted % StepSize == 0 ? currentRate * Gamma : currentRate;
    }
}
