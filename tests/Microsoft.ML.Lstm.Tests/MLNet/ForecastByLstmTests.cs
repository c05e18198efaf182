using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Forecasting;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>A point of a synthetic series with one covariate.</summary>
public sealed class SeriesPoint
{
    /// <summary>The series.</summary>
    public float Value { get; set; }

    /// <summary>A known covariate.</summary>
    public float Promo { get; set; }
}

/// <summary>Forecast columns read back from the engine.</summary>
public sealed class SeriesForecast
{
    /// <summary>Point forecasts.</summary>
    public float[] Forecast { get; set; } = [];

    /// <summary>Lower bounds.</summary>
    public float[] Lower { get; set; } = [];

    /// <summary>Upper bounds.</summary>
    public float[] Upper { get; set; } = [];
}

/// <summary>ForecastByLstm in ML.NET: training, streaming, checkpoints, saving, errors.</summary>
public class ForecastByLstmTests(ITestOutputHelper output)
{
    internal static List<SeriesPoint> Series(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(t => new SeriesPoint
        {
            Value = (float)(50 + 0.2 * t + 10 * Math.Sin(2 * Math.PI * t / 12) + rng.NextDouble() * 2),
            Promo = t % 17 < 3 ? 1 : 0,
        }).ToList();
    }

    internal static LstmForecastingOptions Options(int trainSize, bool exogenous = false) => new()
    {
        OutputColumnName = "Forecast", InputColumnName = nameof(SeriesPoint.Value), WindowSize = 24, SeriesLength = 36,
        TrainSize = trainSize, Horizon = 6, ConfidenceLevel = 0.9f,
        ConfidenceLowerBoundColumn = "Lower", ConfidenceUpperBoundColumn = "Upper",
        ExogenousColumnNames = exogenous ? [nameof(SeriesPoint.Promo)] : [], Seed = 4,
        SeasonalPeriod = 12, HiddenSize = 8, NumberOfEpochs = 15, EnsembleSize = 1,
    };

    [Fact]
    public void AnEnginesFirstPredictHoldsTheLastObservedCovariates_AsAfterAnObservation()
    {
        // The training rows end on a promotion (row 102: Promo = 1). A new engine, and one of a checkpoint, used to hold the
        // covariate at 0 for a Predict() without future rows, though the option documents that the last observed values are held.
        var ml = new MLContext(seed: 1);
        var points = Series(103, 1);
        Assert.Equal(1, points[^1].Promo);
        var model = ml.Forecasting.ForecastByLstm(Options(103, exogenous: true)).Fit(ml.Data.LoadFromEnumerable(points));
        float[] Rows(float promo) => model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml)
            .Predict(future: Enumerable.Range(0, 6).Select(_ => new SeriesPoint { Promo = promo }).ToList()).Forecast;
        var held = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml).Predict().Forecast;
        Assert.Equal(Rows(1), held);
        Assert.NotEqual(Rows(0), held);
        var engine = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml);
        using var checkpoint = new MemoryStream();
        engine.CheckPoint(ml, checkpoint);
        checkpoint.Position = 0;
        var restored = (LstmForecastingTransformer)ml.Model.Load(checkpoint, out _);
        Assert.Equal(held, restored.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml).Predict().Forecast);
    }

    [Fact]
    public void StreamingEngineMatchesTransformAndCheckpointsContinueExactly()
    {
        var ml = new MLContext(seed: 1);
        var points = Series(130, 1);
        var model = ml.Forecasting.ForecastByLstm(Options(100, exogenous: true)).Fit(ml.Data.LoadFromEnumerable(points));
        var future = points.Skip(100).ToList();

        var scored = model.Transform(ml.Data.LoadFromEnumerable(future));
        var viaTransform = scored.GetColumn<float[]>("Forecast").ToArray();
        var engine = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml);
        var viaEngine = future.Select(p => engine.Predict(p).Forecast).ToArray();
        for (int i = 0; i < future.Count; i++) Assert.Equal(viaTransform[i], viaEngine[i]);

        // Stop after 10 points, checkpoint, reload in a new context, continue: identical to never stopping.
        using var dir = new TempDirectory();
        var first = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml);
        foreach (var p in future.Take(10)) first.Predict(p);
        first.CheckPoint(ml, dir.File("checkpoint.zip"));
        var restored = (LstmForecastingTransformer)new MLContext().Model.Load(dir.File("checkpoint.zip"), out _);
        var second = restored.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml);
        Assert.Equal(100 + 10, second.Count);
        for (int i = 10; i < future.Count; i++)
        {
            var r = second.Predict(future[i]);
            Assert.Equal(viaEngine[i], r.Forecast);
        }
        Assert.Single(Directory.GetFiles(dir.Path));   // no temporary file left beside it
    }

    /// <summary>
    /// Issue 17 item 6: a checkpoint never overwrites the user's "&lt;path&gt;.tmp", and a directory as target fails cleanly
    /// leaving nothing behind.
    /// </summary>
    [Fact]
    public void CheckPointLeavesOtherFilesAloneAndRefusesADirectory()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Forecasting.ForecastByLstm(Options(100, exogenous: true)).Fit(ml.Data.LoadFromEnumerable(Series(110, 1)));
        var engine = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml);
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("model.zip.tmp"), "the user's own file");
        engine.CheckPoint(ml, dir.File("model.zip"));
        Assert.Equal("the user's own file", File.ReadAllText(dir.File("model.zip.tmp")));
        Assert.Equal(2, Directory.GetFiles(dir.Path).Length);

        Directory.CreateDirectory(dir.File("folder"));
        var e = Assert.Throws<ArgumentException>(() => engine.CheckPoint(ml, dir.File("folder")));
        Assert.Contains("is a directory", e.Message);
        Assert.Equal(2, Directory.GetFiles(dir.Path).Length);
        Assert.Empty(Directory.GetFileSystemEntries(dir.File("folder")));
    }

    [Fact]
    public void ForecastsHaveOrderedBoundsAndAreDeterministicForASeed()
    {
        var points = Series(120, 2);
        SeriesForecast Run()
        {
            var ml = new MLContext(seed: 9);
            var model = ml.Forecasting.ForecastByLstm("Forecast", nameof(SeriesPoint.Value),
                windowSize: 24, seriesLength: 36, trainSize: 120, horizon: 6,
                confidenceLevel: 0.8f, confidenceLowerBoundColumn: "Lower", confidenceUpperBoundColumn: "Upper")
                    .Fit(ml.Data.LoadFromEnumerable(points));
            return model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml).Predict();
        }
        var a = Run();
        var b = Run();
        Assert.Equal(a.Forecast, b.Forecast);
        Assert.Equal(6, a.Forecast.Length);
        for (int h = 0; h < 6; h++)
            Assert.True(a.Lower[h] <= a.Forecast[h] && a.Forecast[h] <= a.Upper[h], $"step {h}: {a.Lower[h]} {a.Forecast[h]} {a.Upper[h]}");
        output.WriteLine(string.Join(", ", a.Forecast));
    }

    [Fact]
    public void SavedForecasterLoadsInAnotherProcessWithIdenticalForecasts()
    {
        var ml = new MLContext(seed: 1);
        var points = Series(110, 3);
        var data = ml.Data.LoadFromEnumerable(points);
        var model = ml.Forecasting.ForecastByLstm(Options(90)).Fit(data);
        var future = ml.Data.LoadFromEnumerable(points.Skip(90).ToList());

        using var dir = new TempDirectory();
        ml.Model.Save(model, data.Schema, dir.File("model.zip"));
        using (var f = File.Create(dir.File("input.idv"))) ml.Data.SaveAsBinary(future, f);
        var run = ModelLoadHostProcess.Run(TimeSpan.FromMinutes(2), dir.File("model.zip"), dir.File("input.idv"), dir.File("scores.idv"));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("transformer: Microsoft.ML.Lstm.LstmForecastingTransformer", run.StandardOutput);

        var here = model.Transform(future);
        var there = ml.Data.LoadFromBinary(dir.File("scores.idv"));
        foreach (var column in new[] { "Forecast", "Lower", "Upper" })
        {
            var a = here.GetColumn<float[]>(column).ToArray();
            var b = there.GetColumn<float[]>(column).ToArray();
            Assert.Equal(a.Length, b.Length);
            for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i]);
        }
    }

    [Fact]
    public void BadSeriesInputsGetClearErrors()
    {
        var ml = new MLContext(seed: 1);
        var shortSeries = ml.Data.LoadFromEnumerable(Series(50, 1));
        var e1 = Assert.ThrowsAny<ArgumentException>(() => ml.Forecasting.ForecastByLstm(Options(100)).Fit(shortSeries));
        Assert.Contains("'Value'", e1.Message);
        Assert.Contains("50", e1.Message);

        var withNaN = Series(120, 1);
        withNaN[33].Value = float.NaN;
        var e2 = Assert.ThrowsAny<ArgumentException>(() =>
            ml.Forecasting.ForecastByLstm(Options(100)).Fit(ml.Data.LoadFromEnumerable(withNaN)));
        Assert.Contains("row 33", e2.Message);

        var text = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 120).Select(i => new { Value = i.ToString() }).ToList());
        var e3 = Assert.ThrowsAny<ArgumentException>(() => ml.Forecasting.ForecastByLstm(Options(100)).Fit(text));
        Assert.Contains("expected Single", e3.Message);

        var o = Options(100);
        o.SeriesLength = 10;
        Assert.Contains("SeriesLength", Assert.ThrowsAny<ArgumentException>(() => ml.Forecasting.ForecastByLstm(o)).Message);
        o = Options(29);
        Assert.Contains("TrainSize", Assert.ThrowsAny<ArgumentException>(() => ml.Forecasting.ForecastByLstm(o)).Message);
    }

    /// <summary>A non-finite series value fails the same way at Fit, at Transform and in the streaming engine.</summary>
    [Fact]
    public void NonFiniteValue_FailsAlikeAtFitTransformAndEngine()
    {
        var ml = new MLContext(seed: 1);
        var bad = Series(120, 1);
        bad[33].Value = float.NaN;
        var atFit = Assert.Throws<ArgumentException>(() =>
            ml.Forecasting.ForecastByLstm(Options(100)).Fit(ml.Data.LoadFromEnumerable(bad)));
        var model = ml.Forecasting.ForecastByLstm(Options(100)).Fit(ml.Data.LoadFromEnumerable(Series(120, 1)));
        var scored = model.Transform(ml.Data.LoadFromEnumerable(bad.Skip(30).ToList()));
        var atTransform = Assert.Throws<ArgumentException>(() => scored.GetColumn<float[]>("Forecast").ToArray());
        foreach (var e in new[] { atFit, atTransform })
        {
            Assert.Contains("'Value'", e.Message);
            Assert.Contains("row", e.Message);
            Assert.Contains("NaN", e.Message);
        }
        Assert.Contains("row 33:", atFit.Message);
        Assert.Contains("row 3:", atTransform.Message);
        var engine = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml);
        Assert.Throws<ArgumentException>(() => engine.Predict(new SeriesPoint { Value = float.NaN }));
    }

    /// <summary>
    /// ForecastBySsa's samples pass seriesLength equal to trainSize; here that is a warm-up of trainSize − windowSize
    /// steps. From trainSize + windowSize on every window runs from the first row, so longer values give the same model.
    /// </summary>
    [Fact]
    public void SeriesLengthEqualToTrainSize_AsInForecastBySsaSamples_Trains()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Series(100, 5));
        LstmForecastingTransformer Fit(int seriesLength) =>
            ml.Forecasting.ForecastByLstm(outputColumnName: "Forecast", inputColumnName: nameof(SeriesPoint.Value),
                windowSize: 24, seriesLength: seriesLength, trainSize: 100, horizon: 6,
                confidenceLevel: 0.9f, confidenceLowerBoundColumn: "Lower",
                confidenceUpperBoundColumn: "Upper").Fit(data);
        var same = Fit(100);
        Assert.Equal(100, same.Options.SeriesLength);
        var f = same.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml).Predict();
        Assert.Equal(6, f.Forecast.Length);
        Assert.All(f.Forecast, v => Assert.True(float.IsFinite(v)));
        var fromStart = Fit(124).CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml).Predict();
        var longer = Fit(1000).CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml).Predict();
        Assert.Equal(fromStart.Forecast, longer.Forecast);
    }

    /// <summary>The smallest shape of ForecastBySsa's samples (window 5, seriesLength = trainSize = 11, horizon 5).</summary>
    [Fact]
    public void ForecastBySsaSampleShape_TrainsOrSaysWhatToPass()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Series(11, 5));
        var estimator = ml.Forecasting.ForecastByLstm("Forecast", nameof(SeriesPoint.Value),
            windowSize: 5, seriesLength: 11, trainSize: 11, horizon: 5);
        var f = estimator.Fit(data).CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml).Predict();
        Assert.Equal(5, f.Forecast.Length);
        Assert.All(f.Forecast, v => Assert.True(float.IsFinite(v)));
    }
}
