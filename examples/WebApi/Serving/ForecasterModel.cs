namespace Microsoft.ML.Lstm.WebApi;

/// <summary>
/// A loaded ForecastByLstm model. It is stateless for the service: every request brings its recent observations and gets an
/// engine run over them (<c>CreateForecastingEngine(mlContext, history)</c>); the transformer is immutable, so any number
/// of requests use it at once. The engine is the request's own (it holds that history's LSTM state), so there is nothing
/// to pool.
/// </summary>
public sealed class ForecasterModel
{
    private readonly MLContext _ml;
    private readonly LstmForecastingTransformer _model;

    private ForecasterModel(MLContext ml, LstmForecastingTransformer model)
    {
        _ml = ml;
        _model = model;
        var options = model.Options;
        Horizon = options.Horizon;
        ConfidenceLevel = options.ConfidenceLevel;
    }

    /// <summary>Steps ahead the model forecasts at most.</summary>
    public int Horizon { get; }

    /// <summary>Coverage the bounds were calibrated for.</summary>
    public float ConfidenceLevel { get; }

    /// <summary>Loads a model zip saved by <see cref="ModelTraining.TrainForecaster"/> and checks its columns.</summary>
    /// <exception cref="InvalidDataException">Not a ForecastByLstm model over one series with the expected columns.</exception>
    public static ForecasterModel Load(byte[] file)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(new MemoryStream(file), out _) as LstmForecastingTransformer
            ?? throw new InvalidDataException("The model is not a ForecastByLstm model (LstmForecastingTransformer).");
        var o = model.Options;
        if (o.InputColumnName != nameof(Observation.Value) || o.OutputColumnName != nameof(SeriesForecast.Forecast)
            || o.ConfidenceLowerBoundColumn != nameof(SeriesForecast.Lower)
            || o.ConfidenceUpperBoundColumn != nameof(SeriesForecast.Upper))
            throw new InvalidDataException("The forecaster must read column 'Value' and write 'Forecast', 'Lower' and 'Upper'.");
        if (o.ExogenousColumnNames.Length > 0 || o.SeriesKeyColumnName is not null)
            throw new InvalidDataException("The service forecasts one series without covariates.");
        return new ForecasterModel(ml, model);
    }

    /// <summary>Forecasts <paramref name="horizon"/> steps after <paramref name="observations"/>.</summary>
    /// <exception cref="ArgumentException">The observations do not fit the model (too few, or not positive for a
    /// log-transformed model); the message says why.</exception>
    public SeriesForecast Forecast(float[] observations, int horizon)
    {
        var history = Array.ConvertAll(observations, v => new Observation { Value = v });
        var engine = _model.CreateForecastingEngine<Observation, SeriesForecast>(_ml, history);
        return engine.Predict(horizon);
    }
}
