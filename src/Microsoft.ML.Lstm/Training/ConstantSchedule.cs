namespace Microsoft.ML.Lstm.Training;

/// <summary>Keeps the learning rate unchanged.</summary>
internal sealed class ConstantSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initial">The learning rate; finite and &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initial"/> is not finite and positive.</exception>
    public ConstantSchedule(double initial)
    {
        ScheduleChecks.Initial(initial);
        Initial = initial;
    }

    /// <inheritdoc/>
    public double Initial { get; }

    /// <inheritdoc/>
    /// <returns><paramref name="currentRate"/>, unchanged.</returns>
    public double Next(int epochCompleted, double? validationLoss, double currentRate)
    {
        ScheduleChecks.Next(epochCompleted, currentRate);
        return currentRate;
    }
}
