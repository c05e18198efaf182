using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm;

/// <summary>
/// An LSTM encoder as an ML.NET transform: appends to every row the encoding of its sequence, the vector the network's
/// head reads (the final hidden states, or their pooling over the steps), so any ML.NET trainer can learn from it. Saved
/// inside the model zip by <c>mlContext.Model.Save</c>. Safe for concurrent use: every cursor and row owns its buffers.
/// </summary>
public sealed partial class LstmFeaturizerTransformer : ITransformer
{
    internal LstmFeaturizerTransformer(LstmModelParameters model, string outputColumnName, string inputColumnName,
        LstmModelParameters? backwardModel = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        BackwardModel = backwardModel;
        Encoder = inputColumnName == model.FeatureColumnName ? model : model.WithFeatureColumn(inputColumnName);
    }

    /// <summary>The trained network the encoding comes from (its head is not used).</summary>
    public LstmModelParameters Model { get; }

    /// <summary>
    /// For an encoder learned without a label with Bidirectional set: the network that learned the sequences read
    /// backwards (predicting each previous step), whose encoding of the reversed sequence follows <see cref="Model"/>'s.
    /// Null otherwise (a bidirectional encoder learned from a label is one network).
    /// </summary>
    public LstmModelParameters? BackwardModel { get; }

    /// <summary>The appended column: a Single vector of <see cref="FeatureCount"/> values.</summary>
    public string OutputColumnName { get; }

    /// <summary>The sequence column read (float vector or key vector, as the network was trained on).</summary>
    public string InputColumnName { get; }

    /// <summary>Length of the encoding: HiddenSize, twice that when bidirectional.</summary>
    public int FeatureCount => Model.Network.Spec.LayerOutputSize + (BackwardModel?.Network.Spec.LayerOutputSize ?? 0);

    /// <summary>The model with the input column this transform reads.</summary>
    internal LstmModelParameters Encoder { get; }

    /// <summary>Always true: the transform maps rows one by one.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the encoding column; checks the input column.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        Check(inputSchema);
        return new OutputColumns(Encoder, inputSchema, OutputColumnName, BackwardModel).OutputSchema;
    }

    /// <summary>A mapper for PredictionEngine and transformer chains.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        Check(inputSchema);
        return new LstmRowMapper(Encoder, inputSchema, OutputColumnName, BackwardModel);
    }

    /// <summary>Lazily encodes <paramref name="input"/>.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Check(input.Schema);
        return new LstmDataView(Encoder, input, OutputColumnName, BackwardModel);
    }

    private void Check(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        SchemaChecks.FeatureColumn(schema, InputColumnName, Model.Input);
    }
}
