using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Everything a trained LSTM needs to score rows: the task, how the feature column is read, the network
/// weights, and the label's key values (multiclass). Immutable once trained; shared by all cursors.
/// </summary>
public sealed class LstmModelParameters
{
    /// <param name="task">The task trained for.</param>
    /// <param name="options">The settings trained with, the seed resolved and no progress callback (kept, not copied).</param>
    /// <param name="tokenKeyCount">Key count of a token feature column; 0 for float features.</param>
    /// <param name="network">The trained network.</param>
    /// <param name="labelKeyValues">The label's key values (multiclass), or null.</param>
    /// <param name="trainingHistory">Every epoch's figures, in order (kept, not copied).</param>
    /// <param name="words">The word vocabulary of a text feature column, or null.</param>
    internal LstmModelParameters(LstmTask task, LstmOptions options, int tokenKeyCount, LstmNetwork<float> network,
        KeyValueNames? labelKeyValues, IReadOnlyList<EpochProgress> trainingHistory, WordFeatures? words = null)
    {
        Task = task;
        _options = options;
        TokenKeyCount = tokenKeyCount;
        Words = words;
        Network = network;
        LabelKeyValues = labelKeyValues;
        TrainingHistory = trainingHistory;
    }

    private readonly LstmOptions _options;

    /// <summary>The task trained for.</summary>
    public LstmTask Task { get; }

    /// <summary>Name of the feature column read at scoring time (<see cref="LstmOptions.FeatureColumnName"/>).</summary>
    internal string FeatureColumnName => _options.FeatureColumnName;

    /// <summary>The same trained model reading its sequences from <paramref name="featureColumnName"/> (weights shared).</summary>
    internal LstmModelParameters WithFeatureColumn(string featureColumnName)
    {
        var options = _options.Clone();
        options.FeatureColumnName = featureColumnName;
        return new LstmModelParameters(Task, options, TokenKeyCount, Network, LabelKeyValues, TrainingHistory, Words);
    }

    /// <summary>Float values per step; token ids per step for token (1) and word (<see cref="WordFeatures.Slots"/>) input.</summary>
    internal int FeaturesPerStep => Input.ValuesPerStep(_options);

    /// <summary>What the feature column holds.</summary>
    internal FeatureInput Input => new(TokenKeyCount, Words is not null);

    /// <summary>The vocabulary a text (word vector) feature column is read with; null for float or key input.</summary>
    internal WordFeatures? Words { get; }

    /// <summary>Key count of a token (key-typed) feature column; 0 for float features.</summary>
    public int TokenKeyCount { get; }

    /// <summary>
    /// The settings the model was trained with, also after <c>Model.Load</c>: a copy, with <see cref="LstmOptions.Seed"/>
    /// the seed actually used (the MLContext's when the option was null) and no <see cref="LstmOptions.Progress"/> callback.
    /// </summary>
    public LstmOptions Options => _options.Clone();

    /// <summary>
    /// What happened in each epoch of training, in order (as Keras's <c>History</c>): training loss, validation loss and
    /// metric when rows were held out, learning rate and time. Saved with the model; empty for a model saved before
    /// the history was kept.
    /// </summary>
    public IReadOnlyList<EpochProgress> TrainingHistory { get; }

    /// <summary>
    /// The network a trainer with <paramref name="options"/> builds for <paramref name="task"/> on a feature column of
    /// <paramref name="tokenKeyCount"/> keys (0 = float), or of words read with <paramref name="words"/>.
    /// </summary>
    internal static LstmNetworkSpec SpecFor(LstmOptions options, LstmTask task, int tokenKeyCount, WordFeatures? words,
        int outputSize) => new()
        {
            InputSize = words is not null ? WordFeatures.Slots * options.EmbeddingSize
            : tokenKeyCount > 0 ? options.EmbeddingSize : options.FeaturesPerStep,
            TokensPerStep = words is not null ? WordFeatures.Slots : 1,
            VocabularySize = words?.VocabularySize ?? (tokenKeyCount > 0 ? tokenKeyCount + 1 : 0), // key row 0: the missing key
            HiddenSize = options.HiddenSize, NumberOfLayers = options.NumberOfLayers, Bidirectional = options.Bidirectional,
            Dropout = options.Dropout, RecurrentDropout = options.RecurrentDropout,
            Head = task is LstmTask.Tagging or LstmTask.Ctc ? HeadKind.ManyToMany : HeadKind.ManyToOne,
            Pooling = options.Pooling switch
            {
                LstmPooling.Mean => PoolingKind.Mean,
                LstmPooling.Max => PoolingKind.Max,
                LstmPooling.Attention => PoolingKind.Attention,
                _ => PoolingKind.Last,
            },
            OutputSize = outputSize,
        };

    internal int OutputSize => Network.Spec.OutputSize;

    /// <summary>The stored settings themselves (not a copy), for saving.</summary>
    internal LstmOptions TrainedWith => _options;

    internal LstmNetwork<float> Network { get; }

    internal KeyValueNames? LabelKeyValues { get; }
}

/// <summary>What a feature column holds: float values, token keys (<paramref name="KeyCount"/> &gt; 0) or words (text).</summary>
/// <param name="KeyCount">Key count of a key vector; 0 otherwise.</param>
/// <param name="IsText">A vector of text, one word per step.</param>
internal readonly record struct FeatureInput(int KeyCount, bool IsText)
{
    /// <summary>Float features.</summary>
    public bool IsFloat => KeyCount == 0 && !IsText;

    /// <summary>Values per step in the network's batch: the option's float features, 1 key, or a word's ids.</summary>
    public int ValuesPerStep(LstmOptions options) => IsText ? WordFeatures.Slots : KeyCount > 0 ? 1 : options.FeaturesPerStep;
}

/// <summary>
/// The key values of a key-typed label, kept as invariant text plus the original item type so the
/// PredictedLabel column carries the same key values after save and load.
/// </summary>
/// <param name="ItemType">Type name of the values: Text, Single, Double, Int32, UInt32, Int64, UInt64, Boolean.</param>
/// <param name="Values">The values, invariant-culture text.</param>
internal sealed record KeyValueNames(string ItemType, string[] Values)
{
    /// <summary>The item types a model may store.</summary>
    public static readonly string[] ItemTypes = ["Text", "Single", "Double", "Int32", "UInt32", "Int64", "UInt64", "Boolean"];
}
