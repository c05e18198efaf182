namespace Microsoft.ML.Lstm;

/// <summary>How the learning rate changes between epochs (<see cref="LstmOptions.LearningRateSchedule"/>).</summary>
public enum LstmLearningRateSchedule
{
    /// <summary>Every epoch uses <see cref="LstmOptions.LearningRate"/>.</summary>
    Constant,

    /// <summary>
    /// The rate is multiplied by <see cref="LstmOptions.LearningRateDecayFactor"/> after every
    /// <see cref="LstmOptions.LearningRateDecayEpochs"/>-th epoch (PyTorch's <c>StepLR</c>).
    /// </summary>
    StepDecay,

    /// <summary>
    /// The rate is multiplied by <see cref="LstmOptions.LearningRateDecayFactor"/> when the validation loss (the
    /// training loss without validation data) has not improved by a relative 1e-4 for more than
    /// <see cref="LstmOptions.LearningRateDecayEpochs"/> epochs (PyTorch's <c>ReduceLROnPlateau</c>).
    /// </summary>
    ReduceOnPlateau,
}
