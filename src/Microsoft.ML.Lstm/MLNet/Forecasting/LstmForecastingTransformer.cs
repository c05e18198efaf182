using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm;

/// <summary>
/// A trained LSTM forecaster in an ML.NET pipeline. <see cref="Transform"/> is stateful like
/// <c>ForecastBySsa</c>'s: it starts from the state saved with the model (the end of the training rows,
/// or of a checkpoint) and, for every row in order, takes in that row's observation and outputs the
/// forecast of the next Horizon values with its bounds. A global model (trained with
/// <see cref="LstmForecastingOptions.SeriesKeyColumnName"/>) carries one state per series and forecasts
/// each row from its own series' state. For one-at-a-time use, call
/// <see cref="LstmForecastingCatalog.CreateForecastingEngine{TIn, TOut}(LstmForecastingTransformer, MLContext)"/>.
/// </summary>
public sealed partial class LstmForecastingTransformer : ITransformer
{
    private readonly LstmForecastingOptions _options;
    private readonly ForecastEngineState[] _states;
    private readonly Dictionary<string, int> _seriesIndex;

    /// <param name="options">The settings trained with, <see cref="LstmForecastingOptions.Seed"/> resolved (kept, not copied).</param>
    /// <param name="model">The trained networks, calibration and per-series transforms.</param>
    /// <param name="seriesKeys">The series keys in model order; empty for a single-series model.</param>
    /// <param name="states">Per series, the carried state.</param>
    /// <param name="history">Per ensemble member, its training history (empty lists for models saved without one).</param>
    internal LstmForecastingTransformer(LstmForecastingOptions options,
        GlobalLstmForecaster model, string[] seriesKeys, ForecastEngineState[] states, IReadOnlyList<EpochProgress>[] history)
    {
        if (history.Length != model.MemberCount)
            throw new ArgumentException($"{history.Length} histories do not fit {model.MemberCount} ensemble members.", nameof(history));
        if (states.Length != model.SeriesCount
            || (options.SeriesKeyColumnName is null ? seriesKeys.Length != 0 : seriesKeys.Length != states.Length))
            throw new ArgumentException(
                $"{states.Length} states and {seriesKeys.Length} series keys do not fit a model of {model.SeriesCount} series.",
                nameof(states));
        _options = options;
        Columns = ForecastColumns.Of(options);
        Model = model;
        SeriesKeys = seriesKeys;
        _states = states;
        TrainingHistory = history;
        _seriesIndex = seriesKeys.Select((k, j) => (k, j)).ToDictionary(p => p.k, p => p.j);
    }

    /// <summary>
    /// The settings the model was trained with, also after <c>Model.Load</c>: a copy, with
    /// <see cref="LstmForecastingOptions.Seed"/> the seed actually used (the MLContext's when the option was null).
    /// </summary>
    public LstmForecastingOptions Options => _options.Clone();

    /// <summary>
    /// Per ensemble member (<see cref="LstmForecastingOptions.EnsembleSize"/> lists), what happened in each epoch of its
    /// training on the rows before the holdout: training pinball loss, holdout pinball loss (with early stopping), learning
    /// rate and time, like Keras's <c>History</c>; kept with the model by <c>Model.Save</c>. With early stopping the member
    /// keeps its best epoch's weights; with <see cref="LstmForecastingOptions.Refit"/> its final weights come from a second
    /// fit of that many epochs on all rows. Empty lists for a model saved before histories were kept.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<EpochProgress>> TrainingHistory { get; }

    /// <summary>The series keys of a global model, in training order (empty for a single-series model).</summary>
    public IReadOnlyList<string> SeriesKeys { get; }

    /// <summary>The stored settings themselves, for saving.</summary>
    internal LstmForecastingOptions TrainedWith => _options;

    /// <summary>The columns read and written.</summary>
    internal ForecastColumns Columns { get; }

    /// <summary>The trained model (one series unless trained with a series key column).</summary>
    internal GlobalLstmForecaster Model { get; }

    /// <summary>Series 0's view of the model (the only series of a single-series model).</summary>
    internal LstmForecaster Forecaster => Model.ForSeries(0);

    /// <summary>Per series, the carried state <see cref="Transform"/> and new engines start from.</summary>
    internal IReadOnlyList<ForecastEngineState> States => _states;

    /// <summary>False: forecasting is stateful; use <c>CreateForecastingEngine</c> instead of a PredictionEngine.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>Not supported: rows depend on the rows before them.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new NotSupportedException(
            "An LSTM forecaster is stateful: use transformer.CreateForecastingEngine<TIn, TOut>(mlContext) for one-at-a-time predictions.");

    /// <summary>The input schema plus the forecast and bound columns.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        SeriesColumns.Check(inputSchema, Columns.Input, Columns.Exogenous);
        if (Columns.SeriesKey is not null) SeriesKeyColumn.Check(inputSchema, Columns.SeriesKey);
        var b = new DataViewSchema.Builder();
        b.AddColumns(inputSchema);
        var type = new VectorDataViewType(NumberDataViewType.Single, Forecaster.Horizon);
        foreach (var name in Columns.OutputNames) b.AddColumn(name, type);
        return b.ToSchema();
    }

    /// <summary>Forecasts after every row of <paramref name="input"/>, in order, starting from the carried state.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ForecastDataView(this, input, GetOutputSchema(input.Schema));
    }

    /// <summary>The model index of the series named <paramref name="key"/> (0 for a single-series model and a null key).</summary>
    /// <exception cref="ArgumentException">The key is unknown, or missing
    /// for a global model, or given for a single-series model.</exception>
    internal int SeriesIndex(string? key)
    {
        if (Columns.SeriesKey is null)
            return key is null
                ? 0
                : throw new ArgumentException($"The model was trained on one series; series key '{key}' was given.", nameof(key));
        if (key is null)
            throw new ArgumentException($"The model is global over the series of column '{Columns.SeriesKey}': name the series.",
                nameof(key));
        return _seriesIndex.TryGetValue(key, out int j) ? j
            : throw new ArgumentException(
                $"Series '{key}' (column '{Columns.SeriesKey}') was not in the training data; the model knows {SeriesKeys.Count} series.",
                nameof(key));
    }

    /// <summary>A streaming engine for series <paramref name="series"/>, positioned at its state.</summary>
    internal ForecastEngine CreateEngine(int series = 0) => Model.RestoreEngine(series, _states[series]);

    /// <summary>The same model with series <paramref name="series"/>'s carried state replaced (checkpoints).</summary>
    internal LstmForecastingTransformer WithState(int series, ForecastEngineState state)
    {
        var states = (ForecastEngineState[])_states.Clone();
        states[series] = state;
        return new(_options, Model, [.. SeriesKeys], states, [.. TrainingHistory]);
    }
}
