using Microsoft.ML.Data;
using static Microsoft.ML.Lstm.Tests.Forecasting.ForecastInputErrorTests;

namespace Microsoft.ML.Lstm.Tests.MLNet.BadInput;

/// <summary>A global forecaster over series "a" and "b", trained once for <see cref="GlobalForecasterBadInputTests"/>.</summary>
public sealed class GlobalForecasterModel
{
    public MLContext Ml { get; } = new(seed: 1);

    public GlobalForecasterModel() => Model = Estimator().Fit(Ml.Data.LoadFromEnumerable(Points(100, "a", "b")));

    public LstmForecastingTransformer Model { get; }

    /// <summary>Rows of every named series interleaved in time.</summary>
    public static List<KeyedPoint> Points(int count, params string[] keys) =>
        [.. Enumerable.Range(0, count).SelectMany(t => keys.Select((k, j) => new KeyedPoint
        {
            Store = k, Value = (float)(50 + 8 * Math.Sin(2 * Math.PI * (t + j) / 12) + Math.Cos(t * 1.7 + j)),
        }))];

    public LstmForecastingEstimator Estimator() => Ml.Forecasting.ForecastByLstm(new LstmForecastingOptions
    {
        InputColumnName = nameof(KeyedPoint.Value), SeriesKeyColumnName = nameof(KeyedPoint.Store), WindowSize = 24, SeriesLength = 36,
        TrainSize = 90, Horizon = 6, Seed = 3, SeasonalPeriod = 12, HiddenSize = 8, NumberOfEpochs = 2, EnsembleSize = 1,
    });

    public LstmForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput> Engine(string key) =>
        Model.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(Ml, key);
}

/// <summary>
/// The bad-input matrix of the global forecaster (a series key column; docs/bad-input.md). Short series, unknown keys at Transform
/// and engines without a series are in <see cref="GlobalForecastByLstmTests"/>; this class adds the other rows.
/// </summary>
public class GlobalForecasterBadInputTests(GlobalForecasterModel global) : IClassFixture<GlobalForecasterModel>
{
    [Fact]
    public void NaNInOneSeries_IsNamedAtFitTransformAndTheEngine()
    {
        var rows = GlobalForecasterModel.Points(100, "a", "b");
        rows[41].Value = float.NaN;
        Fails(() => global.Estimator().Fit(global.Ml.Data.LoadFromEnumerable(rows)), "Series column 'Value', row 41: the value is NaN");
        Fails(() => global.Model.Transform(global.Ml.Data.LoadFromEnumerable(rows.Skip(20))).GetColumn<float[]>("Forecast").ToArray(),
            "Series column 'Value', row 21: the value is NaN");
        Fails(() => global.Engine("a").Predict(new KeyedPoint { Store = "a", Value = float.NaN }),
            "Series column 'Value', the observation passed to Predict (after 90 observations): the value is NaN");
    }

    /// <summary>
    /// An engine follows one series: an observation (or a history row) whose key names another series is refused, naming both;
    /// before, it was taken in silently. An empty key in the observation means the engine's own series.
    /// </summary>
    [Fact]
    public void AnObservationOfAnotherSeries_IsRefused()
    {
        var engine = global.Engine("a");
        var before = engine.Predict().Forecast;
        Fails(() => engine.Predict(new KeyedPoint { Store = "b", Value = 50 }),
            "Series key column 'Store', the observation passed to Predict (after 90 observations): the observation is of series 'b', " +
            "but this engine follows series 'a'", "CreateForecastingEngine(mlContext, \"b\")");
        Assert.Equal(before, engine.Predict().Forecast);
        var unkeyed = global.Engine("a").Predict(new KeyedPoint { Value = 50 }).Forecast;
        Assert.Equal(global.Engine("a").Predict(new KeyedPoint { Store = "a", Value = 50 }).Forecast, unkeyed);

        var history = GlobalForecasterModel.Points(40, "a");
        history[7].Store = "b";
        Fails(() => global.Model.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(global.Ml, history, "a"),
            "Series key column 'Store', history[7]: the observation is of series 'b', but this engine follows series 'a'");
    }

    /// <summary>A row without its series key is named, with what to do, at Fit and at Transform.</summary>
    [Fact]
    public void AnEmptySeriesKey_IsNamedAtFitAndTransform()
    {
        var rows = GlobalForecasterModel.Points(100, "a", "b");
        rows[3].Store = "";
        Fails(() => global.Estimator().Fit(global.Ml.Data.LoadFromEnumerable(rows)),
            "Series key column 'Store', row 3: the series key is missing", "every row needs the key of its series");
        Fails(() => global.Model.Transform(global.Ml.Data.LoadFromEnumerable(rows)).GetColumn<float[]>("Forecast").ToArray(),
            "Series key column 'Store', row 3: the series key is missing");
    }

    [Fact]
    public void MissingOrWrongTypedKeyColumn_AndZeroRows_AreNamed()
    {
        var ml = global.Ml;
        var unkeyed = ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(100, 1));
        Fails(() => global.Estimator().Fit(unkeyed), "The series key column 'Store' was not found");
        Fails(() => global.Model.Transform(unkeyed), "The series key column 'Store' was not found");
        var floats = ml.Data.LoadFromEnumerable(GlobalForecasterModel.Points(100, "a").Select(p => new FloatKeyPoint { Value = p.Value }));
        Fails(() => global.Estimator().Fit(floats), "The series key column 'Store' has type Single; expected text or a UInt32 key");
        Fails(() => global.Estimator().Fit(ml.Data.LoadFromEnumerable(new List<KeyedPoint>())),
            "The input has no rows; the series key column is 'Store'");
        Assert.Empty(global.Model.Transform(ml.Data.LoadFromEnumerable(new List<KeyedPoint>())).GetColumn<float[]>("Forecast"));
    }

    /// <summary>One series trains a global model of one series, which forecasts as such.</summary>
    [Fact]
    public void OneSeries_Trains()
    {
        var model = global.Estimator().Fit(global.Ml.Data.LoadFromEnumerable(GlobalForecasterModel.Points(100, "a")));
        Assert.Equal(["a"], model.SeriesKeys);
        var f = model.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(global.Ml, "a").Predict().Forecast;
        Assert.Equal(6, f.Length);
        Assert.All(f, v => Assert.True(float.IsFinite(v)));
    }

    /// <summary>A series key of the wrong type.</summary>
    public sealed class FloatKeyPoint
    {
        public float Store { get; set; } = 1;
        public float Value { get; set; }
    }
}
