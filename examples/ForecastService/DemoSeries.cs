using System.Globalization;

namespace Microsoft.ML.Lstm.Examples.ForecastService;

/// <summary>
/// The demo's data and model: a tiny forecaster trained on the monthly airline passengers (Box &amp; Jenkins, examples/data), and
/// many series derived from that one (scaled, shifted in time, with a little deterministic noise) to stream through it.
/// </summary>
public static class DemoSeries
{
    /// <summary>Months trained on; the rest of the 144 are streamed.</summary>
    public const int TrainSize = 96;

    /// <summary>The 144 monthly values of examples/data/r_airpassengers.csv (copied next to the program).</summary>
    public static float[] AirPassengers(string? path = null)
    {
        path ??= Path.Combine(AppContext.BaseDirectory, "data", "r_airpassengers.csv");
        return File.ReadLines(path).Skip(1).Select(l => float.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>
    /// A tiny forecaster (window 12, horizon 6, 8 hidden units, a few epochs: seconds to train) on the first
    /// <see cref="TrainSize"/> months. Good enough to stream through; not tuned for accuracy.
    /// </summary>
    public static LstmForecastingTransformer TrainModel(MLContext mlContext, float[] series, int epochs = 6)
    {
        var rows = series.Take(TrainSize).Select(v => new SeriesObservation { Value = v }).ToList();
        return mlContext.Forecasting.ForecastByLstm(new LstmForecastingOptions
        {
            InputColumnName = nameof(SeriesObservation.Value), OutputColumnName = nameof(SeriesForecast.Forecast),
            ConfidenceLowerBoundColumn = nameof(SeriesForecast.Lower), ConfidenceUpperBoundColumn = nameof(SeriesForecast.Upper),
            WindowSize = 12, SeriesLength = 24, TrainSize = TrainSize, Horizon = 6, ConfidenceLevel = 0.9f, SeasonalPeriod = 12,
            HiddenSize = 8, NumberOfEpochs = epochs, EnsembleSize = 1, Seed = 7,
        }).Fit(mlContext.Data.LoadFromEnumerable(rows));
    }

    /// <summary>
    /// The global option: one network trained over the demo series <paramref name="keys"/>.Length first series (keys in that order,
    /// each its own first <see cref="TrainSize"/> values of <see cref="Value"/> shifted back), with one carried state per series.
    /// A grain whose key is one of <paramref name="keys"/> continues that series.
    /// </summary>
    public static LstmForecastingTransformer TrainGlobalModel(MLContext mlContext, float[] series, string[] keys, int epochs = 3)
    {
        var rows = Enumerable.Range(0, TrainSize)
            .SelectMany(t => keys.Select((k, i) => new KeyedObservation { Series = k, Value = Value(series, i, t - TrainSize) })).ToList();
        return mlContext.Forecasting.ForecastByLstm(new LstmForecastingOptions
        {
            InputColumnName = nameof(SeriesObservation.Value), OutputColumnName = nameof(SeriesForecast.Forecast),
            SeriesKeyColumnName = nameof(KeyedObservation.Series),
            ConfidenceLowerBoundColumn = nameof(SeriesForecast.Lower), ConfidenceUpperBoundColumn = nameof(SeriesForecast.Upper),
            WindowSize = 12, SeriesLength = 24, TrainSize = TrainSize, Horizon = 6, ConfidenceLevel = 0.9f, SeasonalPeriod = 12,
            HiddenSize = 8, NumberOfEpochs = epochs, EnsembleSize = 1, Seed = 7,
        }).Fit(mlContext.Data.LoadFromEnumerable(rows));
    }

    /// <summary>
    /// Observation <paramref name="t"/> (0, 1, ...; negative t for training rows) of series <paramref name="index"/>: the passengers
    /// after the training months,
    /// cycled, scaled by 0.5–1.5 and shifted by the series' index, with noise of a few percent that depends only on (index, t).
    /// Positive, so a model with a log transform takes it.
    /// </summary>
    public static float Value(float[] series, int index, int t)
    {
        int n = series.Length - TrainSize;
        float baseValue = series[TrainSize + (((t + index) % n) + n) % n];
        double scale = 0.5 + index % 101 / 100.0;
        double noise = 1 + 0.03 * Math.Sin(index * 12.9898 + t * 78.233);
        return (float)(baseValue * scale * noise);
    }
}

/// <summary>A training row of a global model: which series, and its value.</summary>
public sealed class KeyedObservation
{
    /// <summary>The series key.</summary>
    public string Series { get; set; } = "";

    /// <summary>The series value.</summary>
    public float Value { get; set; }
}
