using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm;

/// <summary>
/// A trained LSTM forecaster in an ML.NET pipeline. <see cref="Transform"/> is stateful like
/// <c>ForecastBySsa</c>'s: it starts from the state saved with the model (the end of the training rows,
/// or of a checkpoint) and, for every row in order, takes in that row's observation and outputs the
/// forecast of the next Horizon values with its bounds. For one-at-a-time use, call
/// <see cref="LstmForecastingCatalog.CreateForecastingEngine{TIn, TOut}"/>.
/// </summary>
public sealed partial class LstmForecastingTransformer : ITransformer
{
    internal LstmForecastingTransformer(ForecastColumns columns, LstmForecaster forecaster, ForecastEngineState state)
    {
        Columns = columns;
        Forecaster = forecaster;
        State = state;
    }

    /// <summary>The columns read and written.</summary>
    public ForecastColumns Columns { get; }

    /// <summary>The trained model.</summary>
    public LstmForecaster Forecaster { get; }

    /// <summary>The carried state every <see cref="Transform"/> and new engine starts from.</summary>
    public ForecastEngineState State { get; }

    /// <summary>False: forecasting is stateful; use <c>CreateForecastingEngine</c> instead of a PredictionEngine.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>Not supported: rows depend on the rows before them.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new NotSupportedException("An LSTM forecaster is stateful: use transformer.CreateForecastingEngine<TIn, TOut>(mlContext) for one-at-a-time predictions.");

    /// <summary>The input schema plus the forecast and bound columns.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        SeriesColumns.Check(inputSchema, Columns.Input, Columns.Exogenous);
        var b = new DataViewSchema.Builder();
        b.AddColumns(inputSchema);
        var type = new VectorDataViewType(NumberDataViewType.Single, Forecaster.Horizon);
        foreach (var name in Columns.OutputNames) b.AddColumn(name, type);
        return b.ToSchema();
    }

    /// <summary>Forecasts after every row of <paramref name="input"/>, in order, starting from <see cref="State"/>.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ForecastDataView(this, input, GetOutputSchema(input.Schema));
    }

    /// <summary>A streaming engine positioned at <see cref="State"/>.</summary>
    internal ForecastEngine CreateEngine() => Forecaster.RestoreEngine(State);

    /// <summary>The same model with another carried state (checkpoints).</summary>
    internal LstmForecastingTransformer WithState(ForecastEngineState state) => new(Columns, Forecaster, state);
}
