using Microsoft.ML.Lstm;
using Microsoft.ML.Lstm.MLNet.Internals;

namespace Microsoft.ML;

/// <summary>
/// <c>mlContext.Forecasting.ForecastByLstm</c>, shaped like Microsoft.ML.TimeSeries' <c>ForecastBySsa</c>,
/// and the streaming engine factory.
/// </summary>
public static class LstmForecastingCatalog
{
    /// <summary>An LSTM forecaster over a Single series column.</summary>
    /// <param name="catalog">The forecasting catalog.</param>
    /// <param name="outputColumnName">Vector column receiving <paramref name="horizon"/> forecasts per row.</param>
    /// <param name="inputColumnName">The series, one Single per row, in time order.</param>
    /// <param name="windowSize">Steps each training sequence is scored on.</param>
    /// <param name="seriesLength">
    /// Longest training sequence: up to seriesLength − windowSize warm-up steps before each scored window. Passing
    /// trainSize, as in ForecastBySsa's samples, gives a warm-up of trainSize − windowSize steps
    /// (see <see cref="LstmForecastingOptions.SeriesLength"/>).
    /// </param>
    /// <param name="trainSize">Leading rows to train on, at least windowSize + horizon.</param>
    /// <param name="horizon">Steps forecast.</param>
    /// <param name="confidenceLevel">Coverage of the bounds.</param>
    /// <param name="confidenceLowerBoundColumn">Lower-bound column, or null.</param>
    /// <param name="confidenceUpperBoundColumn">Upper-bound column, or null.</param>
    public static LstmForecastingEstimator ForecastByLstm(this ForecastingCatalog catalog, string outputColumnName, string inputColumnName,
        int windowSize, int seriesLength, int trainSize, int horizon, float confidenceLevel = 0.95f,
        string? confidenceLowerBoundColumn = null, string? confidenceUpperBoundColumn = null) =>
        catalog.ForecastByLstm(new LstmForecastingOptions
        {
            OutputColumnName = outputColumnName, InputColumnName = inputColumnName, WindowSize = windowSize,
            SeriesLength = seriesLength, TrainSize = trainSize, Horizon = horizon, ConfidenceLevel = confidenceLevel,
            ConfidenceLowerBoundColumn = confidenceLowerBoundColumn, ConfidenceUpperBoundColumn = confidenceUpperBoundColumn,
        });

    /// <summary>An LSTM forecaster with every setting (covariates, model size, seasonality, seed, ...).</summary>
    public static LstmForecastingEstimator ForecastByLstm(this ForecastingCatalog catalog, LstmForecastingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new LstmForecastingEstimator(HostEnvironments.FromCatalog(catalog), options);
    }

    /// <summary>
    /// A one-at-a-time engine positioned at the transformer's state (the end of training, or of the
    /// checkpoint it was loaded from), like ML.NET's <c>CreateTimeSeriesEngine</c>.
    /// </summary>
    /// <typeparam name="TIn">Class with the series field (and covariate fields), named as the columns.</typeparam>
    /// <typeparam name="TOut">Class with float[] fields named as the forecast and bound columns.</typeparam>
    public static LstmForecastingEngine<TIn, TOut> CreateForecastingEngine<TIn, TOut>(this LstmForecastingTransformer transformer,
        MLContext mlContext)
        where TIn : class where TOut : class, new()
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(mlContext);
        return new LstmForecastingEngine<TIn, TOut>(transformer, seriesKey: null);
    }

    /// <summary>
    /// A one-at-a-time engine for the series <paramref name="seriesKey"/> of a global model (trained with
    /// <see cref="LstmForecastingOptions.SeriesKeyColumnName"/>), positioned at that series' state.
    /// </summary>
    /// <typeparam name="TIn">Class with the series field (and covariate fields), named as the columns.</typeparam>
    /// <typeparam name="TOut">Class with float[] fields named as the forecast and bound columns.</typeparam>
    /// <exception cref="ArgumentException">The model is not global, or does not know the series.</exception>
    public static LstmForecastingEngine<TIn, TOut> CreateForecastingEngine<TIn, TOut>(this LstmForecastingTransformer transformer,
        MLContext mlContext, string seriesKey)
        where TIn : class where TOut : class, new()
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(seriesKey);
        return new LstmForecastingEngine<TIn, TOut>(transformer, seriesKey);
    }

    /// <summary>
    /// A one-at-a-time engine that has run over <paramref name="history"/> from its first row, ignoring the state carried
    /// by the transformer: a stateless forecast from recent observations (a web request's), the same as an engine
    /// created at the end of those rows. The history is run once, O(its length); the transformer is not changed, so
    /// engines over different histories may be created from one transformer on several threads at once.
    /// </summary>
    /// <typeparam name="TIn">Class with the series field (and covariate fields), named as the columns.</typeparam>
    /// <typeparam name="TOut">Class with float[] fields named as the forecast and bound columns.</typeparam>
    /// <param name="transformer">The trained forecaster.</param>
    /// <param name="mlContext">The context.</param>
    /// <param name="history">The series up to the forecast origin, oldest first: more values than the model's baseline lag
    /// (its seasonal period when seasonally differenced), finite, positive for a log-transformed model.</param>
    /// <exception cref="ArgumentException">The history is too short, holds a value that is not finite (or not positive
    /// for a log-transformed model), or the model is global (name the series).</exception>
    public static LstmForecastingEngine<TIn, TOut> CreateForecastingEngine<TIn, TOut>(this LstmForecastingTransformer transformer,
        MLContext mlContext, IReadOnlyList<TIn> history)
        where TIn : class where TOut : class, new()
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(history);
        return new LstmForecastingEngine<TIn, TOut>(transformer, seriesKey: null, history);
    }

    /// <summary>
    /// A one-at-a-time engine for the series <paramref name="seriesKey"/> of a global model that has run over
    /// <paramref name="history"/> from its first row (that series' scaling, not its carried state).
    /// </summary>
    /// <typeparam name="TIn">Class with the series field (and covariate fields), named as the columns.</typeparam>
    /// <typeparam name="TOut">Class with float[] fields named as the forecast and bound columns.</typeparam>
    /// <param name="transformer">The trained global forecaster.</param>
    /// <param name="mlContext">The context.</param>
    /// <param name="history">The series up to the forecast origin, oldest first.</param>
    /// <param name="seriesKey">The series' key.</param>
    /// <exception cref="ArgumentException">The history does not fit the model, or the model does not know the series.</exception>
    public static LstmForecastingEngine<TIn, TOut> CreateForecastingEngine<TIn, TOut>(this LstmForecastingTransformer transformer,
        MLContext mlContext, IReadOnlyList<TIn> history, string seriesKey)
        where TIn : class where TOut : class, new()
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(seriesKey);
        return new LstmForecastingEngine<TIn, TOut>(transformer, seriesKey, history);
    }

    /// <summary>
    /// A one-at-a-time engine that continues from a state saved by <see cref="LstmForecastingEngine{TIn, TOut}.SaveState"/>
    /// (for a global model, of the series named in the state); see the overload with a series key.
    /// </summary>
    /// <typeparam name="TIn">Class with the series field (and covariate fields), named as the columns.</typeparam>
    /// <typeparam name="TOut">Class with float[] fields named as the forecast and bound columns.</typeparam>
    /// <param name="transformer">The model the state was saved from.</param>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="state">A readable stream positioned at the state; it is read to the state's end.</param>
    public static LstmForecastingEngine<TIn, TOut> CreateForecastingEngine<TIn, TOut>(this LstmForecastingTransformer transformer,
        MLContext mlContext, Stream state)
        where TIn : class where TOut : class, new() => transformer.CreateForecastingEngine<TIn, TOut>(mlContext, state, null);

    /// <summary>
    /// A one-at-a-time engine of this model that continues from a state saved by
    /// <see cref="LstmForecastingEngine{TIn, TOut}.SaveState"/>: forecasts and later observations are exactly those of the engine
    /// that saved it. The state must have been written for this model (same settings and weights, e.g. the transformer loaded
    /// from the same model file or a checkpoint of it) and, for a global model, for a series it knows.
    /// </summary>
    /// <typeparam name="TIn">Class with the series field (and covariate fields), named as the columns.</typeparam>
    /// <typeparam name="TOut">Class with float[] fields named as the forecast and bound columns.</typeparam>
    /// <param name="transformer">The model the state was saved from.</param>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="state">A readable stream positioned at the state; it is read to the state's end.</param>
    /// <param name="seriesKey">For a global model, the series the state must belong to, or null to accept the series named in the state.
    /// Must be null for a single-series model.</param>
    /// <exception cref="InvalidDataException">The bytes are not an engine state, or are truncated or corrupt.</exception>
    /// <exception cref="ArgumentException">The state was written for another model (window, horizon, series or weights differ), or
    /// for another series than <paramref name="seriesKey"/>.</exception>
    public static LstmForecastingEngine<TIn, TOut> CreateForecastingEngine<TIn, TOut>(this LstmForecastingTransformer transformer,
        MLContext mlContext, Stream state, string? seriesKey)
        where TIn : class where TOut : class, new()
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(state);
        if (!state.CanRead) throw new ArgumentException("The state stream must be readable.", nameof(state));
        if (seriesKey is not null) transformer.SeriesIndex(seriesKey);
        var (series, restored) = transformer.ReadEngineState(state, seriesKey);
        return new LstmForecastingEngine<TIn, TOut>(transformer, series, restored);
    }
}
