using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>A point of one of several series, named by a text key.</summary>
public sealed class KeyedPoint
{
    /// <summary>Which series.</summary>
    public string Store { get; set; } = "";

    /// <summary>The series value.</summary>
    public float Value { get; set; }
}

/// <summary>ForecastByLstm as a global model over a series key column: per-series forecasts, engines, save/load, errors.</summary>
public class GlobalForecastByLstmTests
{
    private static readonly (string Key, float Scale)[] Stores = [("a", 1), ("b", 100), ("c", 0.01f)];

    /// <summary>Rows of all stores interleaved in time: t = 0 of every store, then t = 1, ...</summary>
    private static List<KeyedPoint> Points(int from, int to) =>
        Enumerable.Range(from, to - from).SelectMany(t => Stores.Select((s, j) => new KeyedPoint
        {
            Store = s.Key,
            Value = s.Scale * (float)(50 + 0.1 * t + (8 + 2 * j) * Math.Sin(2 * Math.PI * (t + j) / 12) + Math.Cos(t * 1.7 + j)),
        })).ToList();

    private static LstmForecastingOptions Options() => new()
    {
        InputColumnName = nameof(KeyedPoint.Value), SeriesKeyColumnName = nameof(KeyedPoint.Store), WindowSize = 24, SeriesLength = 36,
        TrainSize = 90, Horizon = 6, ConfidenceLevel = 0.9f,
        ConfidenceLowerBoundColumn = "Lower", ConfidenceUpperBoundColumn = "Upper", Seed = 3,
        SeasonalPeriod = 12, HiddenSize = 8, NumberOfEpochs = 5, EnsembleSize = 1,
    };

    [Fact]
    public void AnEngineOverOneSeriesHistory_ForecastsAsThatSeriesCarriedState()
    {
        var ml = new MLContext(seed: 1);
        var points = Points(0, 100);
        var model = ml.Forecasting.ForecastByLstm(Options()).Fit(ml.Data.LoadFromEnumerable(points));
        var history = points.Where(p => p.Store == "b").Take(90).ToList();
        var fromHistory = model.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(ml, history, "b");
        Assert.Equal(90, fromHistory.Count);
        Assert.Equal(model.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(ml, "b").Predict().Forecast,
            fromHistory.Predict().Forecast);
        var unnamed = Assert.Throws<ArgumentException>(
            () => model.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(ml, history));
        Assert.Contains("name the series", unnamed.Message);
        Assert.Throws<ArgumentException>(() => model.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(ml, history, "z"));
    }

    [Fact]
    public void TransformForecastsEachRowFromItsSeries_LikeItsEngine_AndSurvivesSaveLoad()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Forecasting.ForecastByLstm(Options()).Fit(ml.Data.LoadFromEnumerable(Points(0, 100)));
        Assert.Equal(["a", "b", "c"], model.SeriesKeys);
        Assert.Equal(90, model.States[2].Count);   // each series' state sits at the end of its first TrainSize rows

        var future = Points(90, 110);
        var scored = model.Transform(ml.Data.LoadFromEnumerable(future)).GetColumn<float[]>("Forecast").ToArray();
        var engines = Stores.ToDictionary(s => s.Key, s => model.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(ml, s.Key));
        for (int i = 0; i < future.Count; i++)
        {
            var p = future[i];
            Assert.Equal(engines[p.Store].Predict(p).Forecast, scored[i]);
            float scale = Stores.Single(s => s.Key == p.Store).Scale;
            Assert.InRange(scored[i].Average() / scale, 40, 80);   // forecasts come back in each series' units
        }

        using var dir = new TempDirectory();
        ml.Model.Save(model, null, dir.File("global.zip"));
        var loaded = (LstmForecastingTransformer)new MLContext().Model.Load(dir.File("global.zip"), out _);
        Assert.Equal(model.SeriesKeys, loaded.SeriesKeys);
        var again = loaded.Transform(ml.Data.LoadFromEnumerable(future)).GetColumn<float[]>("Forecast").ToArray();
        for (int i = 0; i < future.Count; i++) Assert.Equal(scored[i], again[i]);
    }

    [Fact]
    public void CheckpointOfOneSeries_KeepsTheOthers()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Forecasting.ForecastByLstm(Options()).Fit(ml.Data.LoadFromEnumerable(Points(0, 90)));
        var b = Points(90, 95).Where(p => p.Store == "b").ToList();
        var engine = model.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(ml, "b");
        foreach (var p in b) engine.Predict(p);
        using var dir = new TempDirectory();
        engine.CheckPoint(ml, dir.File("b.zip"));
        var restored = (LstmForecastingTransformer)ml.Model.Load(dir.File("b.zip"), out _);
        Assert.Equal(95, restored.States[1].Count);
        Assert.Equal(90, restored.States[0].Count);
        Assert.Equal(engine.Predict().Forecast,
            restored.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(ml, "b").Predict().Forecast);
    }

    [Fact]
    public void EngineStateOfOneSeries_RestoresThatSeries_AndNoOther()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Forecasting.ForecastByLstm(Options()).Fit(ml.Data.LoadFromEnumerable(Points(0, 90)));
        var b = Points(90, 100).Where(p => p.Store == "b").ToList();
        var engine = model.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(ml, "b");
        foreach (var p in b.Take(4)) engine.Predict(p);
        var state = new MemoryStream();
        engine.SaveState(state);

        state.Position = 0;
        var named = model.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(ml, state, "b");
        state.Position = 0;
        var fromState = model.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(ml, state);   // the key in the state
        foreach (var p in b.Skip(4))
        {
            var expected = engine.Predict(p).Forecast;
            Assert.Equal(expected, named.Predict(p).Forecast);
            Assert.Equal(expected, fromState.Predict(p).Forecast);
        }
        state.Position = 0;
        var e = Assert.Throws<ArgumentException>(() =>
            model.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(ml, state, "a"));
        Assert.Contains("series 'b', not of series 'a'", e.Message);
        state.Position = 0;
        Assert.Throws<ArgumentException>(() => model.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(ml, state, "zz"));
    }

    [Fact]
    public void KeyTypedSeriesColumn_TrainsTheSameSeries()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Transforms.Conversion.MapValueToKey("StoreKey", nameof(KeyedPoint.Store))
            .Fit(ml.Data.LoadFromEnumerable(Points(0, 90)))
            .Transform(ml.Data.LoadFromEnumerable(Points(0, 90)));
        var o = Options();
        o.SeriesKeyColumnName = "StoreKey";
        var model = ml.Forecasting.ForecastByLstm(o).Fit(data);
        Assert.Equal(["a", "b", "c"], model.SeriesKeys);
    }

    [Fact]
    public void BadKeysGetClearErrors()
    {
        var ml = new MLContext(seed: 1);
        var shortC = Points(0, 100).Where(p => p.Store != "c").Concat(Points(0, 50).Where(p => p.Store == "c")).ToList();
        var e1 = Assert.ThrowsAny<ArgumentException>(() =>
            ml.Forecasting.ForecastByLstm(Options()).Fit(ml.Data.LoadFromEnumerable(shortC)));
        Assert.Contains("Series 'c'", e1.Message);
        Assert.Contains("50 rows", e1.Message);

        var model = ml.Forecasting.ForecastByLstm(Options()).Fit(ml.Data.LoadFromEnumerable(Points(0, 90)));
        var unknown = new List<KeyedPoint> { new() { Store = "z", Value = 1 } };
        var e2 = Assert.ThrowsAny<ArgumentException>(() =>
            model.Transform(ml.Data.LoadFromEnumerable(unknown)).GetColumn<float[]>("Forecast").ToArray());
        Assert.Contains("'z'", e2.Message);
        Assert.ThrowsAny<ArgumentException>(() => model.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(ml));

        var o = Options();
        o.SeriesKeyColumnName = nameof(KeyedPoint.Value);
        Assert.Contains("SeriesKeyColumnName", Assert.ThrowsAny<ArgumentException>(() => ml.Forecasting.ForecastByLstm(o)).Message);
    }
}

/// <summary>Forecast columns of the global tests.</summary>
public sealed class ForecastByLstmTestsOutput
{
    /// <summary>Point forecasts.</summary>
    public float[] Forecast { get; set; } = [];
}
