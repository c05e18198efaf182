using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Everything a trained LSTM needs to score rows: the task, how the feature column is read, the network
/// weights, and the label's key values (multiclass). Immutable once trained; shared by all cursors.
/// </summary>
public sealed class LstmModelParameters
{
    internal LstmModelParameters(LstmTask task, string featureColumnName, int featuresPerStep, int tokenKeyCount,
        LstmNetwork<float> network, KeyValueNames? labelKeyValues)
    {
        Task = task;
        FeatureColumnName = featureColumnName;
        FeaturesPerStep = featuresPerStep;
        TokenKeyCount = tokenKeyCount;
        Network = network;
        LabelKeyValues = labelKeyValues;
    }

    /// <summary>The task trained for.</summary>
    public LstmTask Task { get; }

    /// <summary>Name of the feature column read at scoring time.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Float values per step; 1 for token input.</summary>
    public int FeaturesPerStep { get; }

    /// <summary>Key count of a token (key-typed) feature column; 0 for float features.</summary>
    public int TokenKeyCount { get; }

    /// <summary>True when the feature column holds token ids (keys).</summary>
    public bool IsTokenInput => TokenKeyCount > 0;

    /// <summary>The architecture.</summary>
    public LstmNetworkSpec Spec => Network.Spec;

    /// <summary>Number of classes (multiclass), else 1.</summary>
    public int OutputSize => Network.Spec.OutputSize;

    internal LstmNetwork<float> Network { get; }

    internal KeyValueNames? LabelKeyValues { get; }

    /// <summary>A copy of the weights in the layout of <see cref="LstmNetworkSpec.ParameterSlots"/>.</summary>
    public float[] GetWeights() => (float[])Network.Parameters.Values.Clone();
}

/// <summary>
/// The key values of a key-typed label, kept as invariant text plus the original item type so the
/// PredictedLabel column carries the same key values after save and load.
/// </summary>
/// <param name="ItemType">Type name of the values: Text, Single, Double, Int32, UInt32, Int64, UInt64, Boolean.</param>
/// <param name="Values">The values, invariant-culture text.</param>
internal sealed record KeyValueNames(string ItemType, string[] Values);
