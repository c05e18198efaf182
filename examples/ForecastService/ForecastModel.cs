namespace Microsoft.ML.Lstm.Examples.ForecastService;

/// <summary>One observation as the engine reads it (the model's input column is <c>Value</c>).</summary>
public sealed class SeriesObservation
{
    /// <summary>The series value.</summary>
    public float Value { get; set; }
}

/// <summary>The engine's forecast columns.</summary>
public sealed class SeriesForecast
{
    /// <summary>Point forecasts.</summary>
    public float[] Forecast { get; set; } = [];

    /// <summary>Lower bounds.</summary>
    public float[] Lower { get; set; } = [];

    /// <summary>Upper bounds.</summary>
    public float[] Upper { get; set; } = [];
}

/// <summary>
/// The trained forecaster, loaded once per silo (a singleton service) and shared by every series grain on it: the network's
/// weights are read-only, and each grain's engine has its own state and workspace. A single-series model starts every series from
/// the state it was trained to; a global model (<see cref="LstmForecastingOptions.SeriesKeyColumnName"/>: one network, per-series
/// state) starts each series from its own state and knows only the series it was trained on.
/// </summary>
public sealed class ForecastModel
{
    private readonly MLContext _mlContext;

    /// <summary>Wraps a trained (or loaded) forecaster.</summary>
    public ForecastModel(LstmForecastingTransformer transformer, MLContext? mlContext = null)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        Transformer = transformer;
        _mlContext = mlContext ?? new MLContext();
        var o = transformer.Options;
        if (o.InputColumnName != nameof(SeriesObservation.Value) || o.OutputColumnName != nameof(SeriesForecast.Forecast))
            throw new ArgumentException($"The forecaster reads '{o.InputColumnName}' and writes '{o.OutputColumnName}'; this service " +
                $"needs a model trained with InputColumnName '{nameof(SeriesObservation.Value)}' and OutputColumnName " +
                $"'{nameof(SeriesForecast.Forecast)}'.", nameof(transformer));
        if (o.ExogenousColumnNames is { Length: > 0 })
            throw new ArgumentException("The forecaster has covariates; this service streams the series value alone.", nameof(transformer));
    }

    /// <summary>The forecaster.</summary>
    public LstmForecastingTransformer Transformer { get; }

    /// <summary>True for a global model (one network over several series, one state per series).</summary>
    public bool IsGlobal => Transformer.SeriesKeys.Count > 0;

    /// <summary>The trained horizon.</summary>
    public int Horizon => Transformer.Options.Horizon;

    /// <summary>Loads a model zip saved by <c>mlContext.Model.Save</c>; a missing or corrupt file names the file.</summary>
    public static ForecastModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"The forecasting model '{path}' does not exist.", path);
        var mlContext = new MLContext();
        try
        {
            return new ForecastModel((LstmForecastingTransformer)mlContext.Model.Load(path, out _), mlContext);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or FormatException or InvalidCastException)
        {
            throw new InvalidDataException($"The forecasting model '{path}' could not be loaded: {e.Message}", e);
        }
    }

    /// <summary>An engine for a new series, at the model's state (of that series, for a global model).</summary>
    public LstmForecastingEngine<SeriesObservation, SeriesForecast> NewEngine(string seriesKey) =>
        IsGlobal
            ? Transformer.CreateForecastingEngine<SeriesObservation, SeriesForecast>(_mlContext, seriesKey)
            : Transformer.CreateForecastingEngine<SeriesObservation, SeriesForecast>(_mlContext);

    /// <summary>The engine that saved <paramref name="state"/> (see <see cref="SaveState"/>), continuing exactly there.</summary>
    public LstmForecastingEngine<SeriesObservation, SeriesForecast> RestoreEngine(string seriesKey, byte[] state) =>
        Transformer.CreateForecastingEngine<SeriesObservation, SeriesForecast>(_mlContext, new MemoryStream(state, writable: false),
            IsGlobal ? seriesKey : null);

    /// <summary>The engine's state as bytes, for grain storage.</summary>
    public static byte[] SaveState(LstmForecastingEngine<SeriesObservation, SeriesForecast> engine)
    {
        var stream = new MemoryStream();
        engine.SaveState(stream);
        return stream.ToArray();
    }
}
