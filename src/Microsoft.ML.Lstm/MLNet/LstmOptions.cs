using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Settings of an LSTM trainer. The feature column holds one sequence per row, flattened time-major:
/// <see cref="FeaturesPerStep"/> values per step (a float vector, fixed or variable size), one token
/// id per step (a key-typed vector, looked up in a learned embedding of <see cref="EmbeddingSize"/>), or one word per step
/// (a vector of text): each word is read as four learned embeddings side by side — the lowercased word, its last three and
/// last two letters, and its shape (capitals, digits, punctuation) — with words, suffixes and shapes seen once in training
/// sharing an "unknown" embedding, so words never seen in training are still read by their suffixes and shape.
/// </summary>
public class LstmOptions
{
    /// <summary>
    /// Label column: float (regression), Boolean (binary), key (multiclass). Trainers need one; a featurizer
    /// (<see cref="LstmFeaturizerOptions"/>) without one learns self-supervised.
    /// </summary>
    public string? LabelColumnName { get; set; } = "Label";

    /// <summary>Feature column: vector of float, or vector of key (token ids).</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>Values per time step in the float feature vector (its length must be a multiple).</summary>
    public int FeaturesPerStep { get; set; } = 1;

    /// <summary>Hidden units per direction.</summary>
    public int HiddenSize { get; set; } = 64;

    /// <summary>Stacked LSTM layers.</summary>
    public int NumberOfLayers { get; set; } = 1;

    /// <summary>Also read each sequence backwards and concatenate both directions.</summary>
    public bool Bidirectional { get; set; }

    /// <summary>Dropout on the input of each layer after the first (training only).</summary>
    public double Dropout { get; set; }

    /// <summary>Variational dropout on the recurrent state, one mask per sequence (training only).</summary>
    public double RecurrentDropout { get; set; }

    /// <summary>
    /// How the prediction reads the sequence: the final state (<see cref="LstmPooling.Last"/>, default) or a pooling of
    /// every step's output (mean, max, attention), which reaches evidence far from the end of long sequences.
    /// </summary>
    public LstmPooling Pooling { get; set; } = LstmPooling.Last;

    /// <summary>
    /// CTC only: label prefixes kept by the beam search that decodes PredictedLabel; 1 (default) decodes greedily (the best
    /// class at each step, repeats merged, blanks removed). A wider beam adds up the alignments of each labelling.
    /// </summary>
    public int BeamWidth { get; set; } = 1;

    /// <summary>Embedding width for key-typed (token) features, and for each of a word's ids for text features.</summary>
    public int EmbeddingSize { get; set; } = 32;

    /// <summary>Passes over the training data.</summary>
    public int NumberOfEpochs { get; set; } = 20;

    /// <summary>Sequences per mini-batch.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>
    /// Streams the training data instead of reading it into memory: null (default) reads every sequence into memory once and
    /// shuffles all of them every epoch; a number reads the rows through a fresh cursor every epoch and shuffles them through a
    /// pool of that many sequences, as <c>mlContext.Data.ShuffleRows(shufflePoolSize)</c> and Keras/tf.data's
    /// <c>shuffle(buffer_size)</c> do, so that memory is bounded by about ShufflePoolSize + BatchSize sequences whatever the
    /// number of rows. A first pass checks every row and gathers the label scale (regression) and classes; with
    /// <see cref="ValidationFraction"/> each row is held out with that probability (fixed by the seed and the row's position)
    /// and the held-out rows are read again after every epoch. A seed gives the same model every time; the data view must
    /// give the same rows in the same order on every pass (a file loader or an in-memory view does). A pool of at least the
    /// row count shuffles like the in-memory path, though not in the same order. Not for the CTC trainer and the featurizer
    /// learned without a label, which read their rows into memory.
    /// </summary>
    public int? ShufflePoolSize { get; set; }

    /// <summary>Learning rate (initial rate when a schedule is set).</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>The optimizer. Default <see cref="LstmOptimizer.Adam"/>.</summary>
    public LstmOptimizer Optimizer { get; set; } = LstmOptimizer.Adam;

    /// <summary>
    /// Weight decay, ≥ 0. Adam applies it decoupled from the gradient (AdamW); SGD and RMSprop add the L2 term
    /// to the gradient, as PyTorch does. Default 0.
    /// </summary>
    public double WeightDecay { get; set; }

    /// <summary>
    /// Momentum of <see cref="LstmOptimizer.Sgd"/> and <see cref="LstmOptimizer.RmsProp"/>, in [0, 1); must be 0 for Adam. Default 0.
    /// </summary>
    public double Momentum { get; set; }

    /// <summary>How the learning rate changes between epochs. Default <see cref="LstmLearningRateSchedule.Constant"/>.</summary>
    public LstmLearningRateSchedule LearningRateSchedule { get; set; } = LstmLearningRateSchedule.Constant;

    /// <summary>Factor a decaying schedule multiplies the learning rate by, in (0, 1). Default 0.1.</summary>
    public double LearningRateDecayFactor { get; set; } = 0.1;

    /// <summary>
    /// Epochs between decays (<see cref="LstmLearningRateSchedule.StepDecay"/>), or epochs without improvement
    /// tolerated before a decay (<see cref="LstmLearningRateSchedule.ReduceOnPlateau"/>), ≥ 1. Default 10.
    /// </summary>
    public int LearningRateDecayEpochs { get; set; } = 10;

    /// <summary>Clip gradients to this global norm; 0 turns clipping off.</summary>
    public double GradientClipNorm { get; set; } = 5.0;

    /// <summary>Share of training rows held out to report validation loss and drive early stopping.</summary>
    public double ValidationFraction { get; set; }

    /// <summary>Stop after this many epochs without validation improvement and keep the best weights; 0 = off.</summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>
    /// Seed for initialization, shuffling and dropout; null uses the MLContext's seed (a fresh random seed when the
    /// MLContext has none). The seed used is reported by the trained model's <see cref="LstmModelParameters.Options"/>.
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>Threads for training and inference; null or 0 uses all cores.</summary>
    public int? NumberOfThreads { get; set; }

    /// <summary>
    /// Called after every epoch (also logged through <c>MLContext.Log</c>). Not saved with the model. To stop training from
    /// outside (ML.NET's <c>MLContext.CancelExecution</c> is not public), throw <see cref="OperationCanceledException"/> here,
    /// e.g. <c>Progress = _ =&gt; token.ThrowIfCancellationRequested()</c>: Fit ends with that exception after the epoch.
    /// </summary>
    public Action<EpochProgress>? Progress { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public virtual void Validate()
    {
        if (string.IsNullOrWhiteSpace(LabelColumnName))
            throw new ArgumentException("LabelColumnName must be set.", nameof(LabelColumnName));
        ValidateSettings();
    }

    /// <summary>Checks every setting but the label column.</summary>
    internal void ValidateSettings()
    {
        if (string.IsNullOrWhiteSpace(FeatureColumnName))
            throw new ArgumentException("FeatureColumnName must be set.", nameof(FeatureColumnName));
        if (FeaturesPerStep <= 0)
            throw new ArgumentOutOfRangeException(nameof(FeaturesPerStep), FeaturesPerStep, "FeaturesPerStep must be positive.");
        if (EmbeddingSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(EmbeddingSize), EmbeddingSize, "EmbeddingSize must be positive.");
        if (BeamWidth is < 1 or > 1000)
            throw new ArgumentOutOfRangeException(nameof(BeamWidth), BeamWidth, "BeamWidth must be in 1 … 1000.");
        if (ShufflePoolSize is < 1)
            throw new ArgumentOutOfRangeException(nameof(ShufflePoolSize), ShufflePoolSize,
                "ShufflePoolSize must be ≥ 1 (sequences held to shuffle a streamed epoch), or null to read the rows into memory.");
        if (NumberOfThreads is < 0)
            throw new ArgumentOutOfRangeException(nameof(NumberOfThreads), NumberOfThreads, "NumberOfThreads must be ≥ 0.");
        new LstmNetworkSpec
        {
            InputSize = 1, HiddenSize = HiddenSize, NumberOfLayers = NumberOfLayers,
            Dropout = Dropout, RecurrentDropout = RecurrentDropout
        }.Validate();
        if (!Enum.IsDefined(LearningRateSchedule))
            throw new ArgumentOutOfRangeException(nameof(LearningRateSchedule), LearningRateSchedule, "Unknown learning-rate schedule.");
        if (!Enum.IsDefined(Pooling))
            throw new ArgumentOutOfRangeException(nameof(Pooling), Pooling, "Unknown pooling: use Last, Mean, Max or Attention.");
        if (!(LearningRateDecayFactor > 0 && LearningRateDecayFactor < 1))
            throw new ArgumentOutOfRangeException(nameof(LearningRateDecayFactor), LearningRateDecayFactor,
                "LearningRateDecayFactor must be in (0, 1).");
        if (LearningRateDecayEpochs < 1)
            throw new ArgumentOutOfRangeException(nameof(LearningRateDecayEpochs), LearningRateDecayEpochs,
                "LearningRateDecayEpochs must be ≥ 1.");
        if (EarlyStoppingPatience > 0 && ValidationFraction == 0)
            throw new ArgumentException(
                "EarlyStoppingPatience needs held-out rows: set ValidationFraction > 0, or EarlyStoppingPatience = 0.",
                nameof(EarlyStoppingPatience));
        ToTrainingOptions(LossKind.MeanSquaredError, 0).Validate();
    }

    /// <summary>A copy (the <see cref="Progress"/> callback is shared).</summary>
    internal LstmOptions Clone() => (LstmOptions)MemberwiseClone();

    internal TrainingOptions ToTrainingOptions(LossKind loss, ulong seed) => new()
    {
        Loss = loss, NumberOfEpochs = NumberOfEpochs, BatchSize = BatchSize, LearningRate = LearningRate,
        Schedule = CreateSchedule(), Optimizer = OptimizerSettings(), GradientClipNorm = GradientClipNorm,
        ValidationFraction = ValidationFraction, EarlyStoppingPatience = EarlyStoppingPatience, Seed = seed,
    };

    private OptimizerOptions OptimizerSettings()
    {
        if (!Enum.IsDefined(Optimizer)) throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, "Unknown optimizer.");
        var kind = Optimizer switch
        {
            LstmOptimizer.Sgd => OptimizerKind.Sgd,
            LstmOptimizer.RmsProp => OptimizerKind.RmsProp,
            _ => OptimizerKind.Adam
        };
        return new OptimizerOptions { Kind = kind, WeightDecay = WeightDecay, Momentum = Momentum };
    }

    private ILearningRateSchedule? CreateSchedule() => LearningRateSchedule switch
    {
        LstmLearningRateSchedule.StepDecay => new StepDecaySchedule(LearningRate, LearningRateDecayEpochs, LearningRateDecayFactor),
        LstmLearningRateSchedule.ReduceOnPlateau =>
            new ReduceOnPlateauSchedule(LearningRate, LearningRateDecayFactor, LearningRateDecayEpochs),
        _ => null,
    };
}
