using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Settings of <see cref="LstmLanguageModelEstimator"/>: an LSTM that learns to predict the next character (or word) of
/// the texts in a text column, one document per row. The architecture and training settings mean what they mean in
/// <see cref="LstmOptions"/> and are checked by the same code; the defaults suit a text of some hundred thousand
/// characters trained on a couple of cores in minutes.
/// </summary>
public sealed class LstmLanguageModelOptions
{
    /// <summary>The text column: one document per row. Default "Text".</summary>
    public string InputColumnName { get; set; } = "Text";

    /// <summary>The column the transformer appends: each row's bits per token (Single). Default "BitsPerToken".</summary>
    public string OutputColumnName { get; set; } = "BitsPerToken";

    /// <summary>Characters (default) or words; see <see cref="LstmTokenLevel"/>.</summary>
    public LstmTokenLevel Level { get; set; } = LstmTokenLevel.Character;

    /// <summary>Width of the learned token embedding. Default 64.</summary>
    public int EmbeddingSize { get; set; } = 64;

    /// <summary>Hidden units per layer. Default 256.</summary>
    public int HiddenSize { get; set; } = 256;

    /// <summary>Stacked LSTM layers. Default 2.</summary>
    public int NumberOfLayers { get; set; } = 2;

    /// <summary>Dropout on the input of each layer after the first (training only). Default 0.4.</summary>
    public double Dropout { get; set; } = 0.4;

    /// <summary>Variational dropout on the recurrent state, one mask per chunk (training only). Default 0.</summary>
    public double RecurrentDropout { get; set; }

    /// <summary>
    /// Steps of one training chunk: the texts, one after another, are cut into chunks of this many tokens (at a new
    /// random offset every epoch) and gradients flow back at most this far (truncated backpropagation through time).
    /// Scoring and generation carry the state across the whole text. Default 100.
    /// </summary>
    public int SequenceLength { get; set; } = 100;

    /// <summary>Passes over the training text (fewer when early stopping ends training). Default 30.</summary>
    public int NumberOfEpochs { get; set; } = 30;

    /// <summary>
    /// Decay d of the moving average of the weights over gradient steps (ā ← d·ā + (1 − d)·θ) that is validated and kept,
    /// in [0, 1); 0 keeps the raw weights. Default 0.99 (about the last 100 steps; on the Shakespeare example's validation
    /// part 1.984 bits per character against 2.009 with the raw weights). Over the first steps the decay is lower,
    /// (1 + t) / (10 + t), so a short training run is not averaged back towards its untrained start.
    /// </summary>
    public double WeightAveraging { get; set; } = 0.99;

    /// <summary>Chunks per mini-batch. Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Learning rate of Adam (initial rate when a schedule is set). Default 0.003.</summary>
    public double LearningRate { get; set; } = 3e-3;

    /// <summary>How the learning rate changes between epochs. Default <see cref="LstmLearningRateSchedule.ReduceOnPlateau"/>.</summary>
    public LstmLearningRateSchedule LearningRateSchedule { get; set; } = LstmLearningRateSchedule.ReduceOnPlateau;

    /// <summary>Factor a decaying schedule multiplies the learning rate by, in (0, 1). Default 0.5.</summary>
    public double LearningRateDecayFactor { get; set; } = 0.5;

    /// <summary>
    /// Epochs between decays (<see cref="LstmLearningRateSchedule.StepDecay"/>), or epochs without improvement tolerated
    /// before a decay (<see cref="LstmLearningRateSchedule.ReduceOnPlateau"/>), ≥ 1. Default 1.
    /// </summary>
    public int LearningRateDecayEpochs { get; set; } = 1;

    /// <summary>Clip gradients to this global norm; 0 turns clipping off. Default 5.</summary>
    public double GradientClipNorm { get; set; } = 5.0;

    /// <summary>
    /// Share of the training text (its end) held out to measure bits per token after every epoch; the model keeps the
    /// weights of the best epoch. 0 trains on everything and keeps the last weights. Default 0.05.
    /// </summary>
    public double ValidationFraction { get; set; } = 0.05;

    /// <summary>Stop after this many epochs without validation improvement; 0 = off. Default 4.</summary>
    public int EarlyStoppingPatience { get; set; } = 4;

    /// <summary>
    /// Seed for initialization, chunk offsets, shuffling and dropout; null uses the MLContext's seed (a fresh random seed
    /// when the MLContext has none). The trained model's <see cref="LstmLanguageModelTransformer.Options"/> report the seed
    /// used.
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>Threads for training; null or 0 uses all cores.</summary>
    public int? NumberOfThreads { get; set; }

    /// <summary>Called after every epoch (also logged through <c>MLContext.Log</c>). Not saved with the model.</summary>
    public Action<EpochProgress>? Progress { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(InputColumnName))
            throw new ArgumentException("InputColumnName must be set.", nameof(InputColumnName));
        if (string.IsNullOrWhiteSpace(OutputColumnName))
            throw new ArgumentException("OutputColumnName must be set.", nameof(OutputColumnName));
        if (!Enum.IsDefined(Level))
            throw new ArgumentOutOfRangeException(nameof(Level), Level, "Unknown token level: use Character or Word.");
        if (SequenceLength < 1)
            throw new ArgumentOutOfRangeException(nameof(SequenceLength), SequenceLength, "SequenceLength must be positive.");
        if (SequenceLength > LstmNetworkSpec.MaxWidth)
            throw new ArgumentOutOfRangeException(nameof(SequenceLength), SequenceLength,
                $"SequenceLength must be at most {LstmNetworkSpec.MaxWidth}.");
        if (!(WeightAveraging >= 0 && WeightAveraging < 1))
            throw new ArgumentOutOfRangeException(nameof(WeightAveraging), WeightAveraging, "WeightAveraging must be in [0, 1).");
        ToLstmOptions().ValidateSettings();
    }

    /// <summary>A copy (the <see cref="Progress"/> callback is shared).</summary>
    internal LstmLanguageModelOptions Clone() => (LstmLanguageModelOptions)MemberwiseClone();

    /// <summary>
    /// The same settings as a sequence trainer's options, so that they are range-checked and turned into training
    /// settings by the one piece of code that does it for every LSTM of the library.
    /// </summary>
    internal LstmOptions ToLstmOptions() => new()
    {
        LabelColumnName = null, FeatureColumnName = InputColumnName, EmbeddingSize = EmbeddingSize, HiddenSize = HiddenSize,
        NumberOfLayers = NumberOfLayers, Dropout = Dropout, RecurrentDropout = RecurrentDropout, NumberOfEpochs = NumberOfEpochs,
        BatchSize = BatchSize, LearningRate = LearningRate, LearningRateSchedule = LearningRateSchedule,
        LearningRateDecayFactor = LearningRateDecayFactor, LearningRateDecayEpochs = LearningRateDecayEpochs,
        GradientClipNorm = GradientClipNorm, ValidationFraction = ValidationFraction,
        EarlyStoppingPatience = EarlyStoppingPatience, Seed = Seed, NumberOfThreads = NumberOfThreads, Progress = Progress,
    };

    /// <summary>The network of a model over <paramref name="vocabularySize"/> token ids.</summary>
    internal LstmNetworkSpec SpecFor(int vocabularySize) => new()
    {
        InputSize = EmbeddingSize, VocabularySize = vocabularySize, OutputSize = vocabularySize, HiddenSize = HiddenSize,
        NumberOfLayers = NumberOfLayers, Dropout = Dropout, RecurrentDropout = RecurrentDropout, Head = HeadKind.ManyToMany,
    };
}
