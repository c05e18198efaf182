namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// Chooses the learning rate epoch by epoch, like a PyTorch scheduler whose <c>step()</c> is called once
/// after every epoch. Training uses <see cref="Initial"/> for the first epoch and, after each epoch, the
/// rate returned by <see cref="Next"/> for the following one.
/// </summary>
internal interface ILearningRateSchedule
{
    /// <summary>The learning rate of the first epoch.</summary>
    double Initial { get; }

    /// <summary>Returns the learning rate for the next epoch.</summary>
    /// <param name="epochCompleted">How many epochs have been completed, ≥ 1 (1 after the first epoch).</param>
    /// <param name="validationLoss">The loss measured after that epoch (validation loss, or
    /// training loss when there is no validation set); null when none was measured.</param>
    /// <param name="currentRate">The rate used for the epoch just completed; finite and ≥ 0.</param>
    double Next(int epochCompleted, double? validationLoss, double currentRate);
}

/// <summary>Argument checks shared by the schedules.</summary>
internal static class ScheduleChecks
{
    /// <summary>Requires a finite initial rate &gt; 0.</summary>
    public static void Initial(double initial)
    {
        if (!(initial > 0 && double.IsFinite(initial)))
            throw new ArgumentOutOfRangeException(nameof(initial), initial, "The initial learning rate must be finite and > 0.");
    }

    /// <summary>Checks the arguments of <see cref="ILearningRateSchedule.Next"/>.</summary>
    public static void Next(int epochCompleted, double currentRate)
    {
        if (epochCompleted < 1)
            throw new ArgumentOutOfRangeException(nameof(epochCompleted), epochCompleted, "epochCompleted must be ≥ 1.");
        if (!(currentRate >= 0 && double.IsFinite(currentRate)))
            throw new ArgumentOutOfRangeException(nameof(currentRate), currentRate, "currentRate must be finite and ≥ 0.");
    }
}
