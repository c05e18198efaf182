using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm;

/// <summary>
/// A trained LSTM as an ML.NET transformer: appends Score (and Probability / PredictedLabel for
/// classification) computed from the feature column. Saved inside the ML.NET model zip by
/// <c>mlContext.Model.Save</c> and restored by <c>mlContext.Model.Load</c>. Safe for concurrent use:
/// every cursor and PredictionEngine row owns its own buffers.
/// </summary>
public sealed partial class LstmTransformer : ITransformer
{
    internal LstmTransformer(LstmModelParameters model)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
    }

    /// <summary>The trained model: task, input description and network.</summary>
    public LstmModelParameters Model { get; }

    /// <summary>Always true: the transformer maps rows one by one.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the output columns; checks the feature column.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        Check(inputSchema);
        return new OutputColumns(Model, inputSchema).OutputSchema;
    }

    /// <summary>A mapper for PredictionEngine and transformer chains.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        Check(inputSchema);
        return new LstmRowMapper(Model, inputSchema);
    }

    /// <summary>Lazily scores <paramref name="input"/>.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Check(input.Schema);
        return new LstmDataView(Model, input);
    }

    private void Check(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        SchemaChecks.FeatureColumn(schema, Model.FeatureColumnName, Model.Input);
    }
}
