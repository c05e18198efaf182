using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>The forecaster's saved format keeps the Box–Cox λ, how intervals combine, and separate lower and upper offsets.</summary>
public class ForecastFormatTests
{
    [Fact]
    public void PowerTransformedModel_SavesAndLoadsWithItsLambda()
    {
        var rng = new Random(2);
        var points = Enumerable.Range(0, 150).Select(t => new SeriesPoint
        {
            Value = (float)Math.Max(0, 60 * (1 - Math.Cos(2 * Math.PI * (t / 12) / 5.0)) * (1 + 0.4 * (rng.NextDouble() - 0.5))),
        }).ToList();
        var ml = new MLContext(seed: 1);
        var options = ForecastByLstmTests.Options(150);
        options.PowerTransform = AutoSwitch.On;
        options.NumberOfEpochs = 3;
        var data = ml.Data.LoadFromEnumerable(points);
        var model = ml.Forecasting.ForecastByLstm(options).Fit(data);
        double lambda = model.Forecaster.Transform.BoxCoxLambda;
        Assert.InRange(lambda, 0.01, 0.99);

        var (loaded, _) = SaveLoadAndPredictAlike(ml, model, data);
        Assert.Equal(lambda, loaded.Forecaster.Transform.BoxCoxLambda);
    }

    [Fact]
    public void EnsembleIntervals_IsSaved_AndTheLoadedModelPredictsTheSameBounds() =>
        EachSettingSavesAndReachesTheBounds<EnsembleIntervals>(
            (options, kind) => (options.EnsembleSize, options.EnsembleIntervals) = (3, kind),
            (kind, _, loaded) => Assert.Equal(kind, loaded.Forecaster.Options.Model.EnsembleIntervals));

    [Fact]
    public void SeparateTailOffsets_AreSaved_AndTheLoadedModelPredictsTheSameBounds() =>
        EachSettingSavesAndReachesTheBounds<CalibrationTails>((options, tails) => options.CalibrationTails = tails,
            (tails, model, loaded) =>
            {
                var calibration = model.Forecaster.Calibration;
                Assert.Equal(tails == CalibrationTails.Joint, calibration.Symmetric);
                Assert.Equal(calibration.Symmetric ? 1 : 2,
                    calibration.Offsets.Count / (model.Forecaster.Options.ConfidenceLevels.Length * model.Forecaster.Options.Horizon));
                Assert.Equal(calibration.Offsets, loaded.Forecaster.Calibration.Offsets);
            });

    [Fact]
    public void WidthsNeverNarrow_IsSavedWithANewModel_AndAModelSavedWithoutItKeepsItsBoundsWhenSavedAgain()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(120, seed: 3));
        var model = ml.Forecasting.ForecastByLstm(ForecastByLstmTests.Options(120)).Fit(data);
        Assert.True(model.Forecaster.Calibration.WidthsNeverNarrow);
        Assert.True(SaveLoadAndPredictAlike(ml, model, data).Loaded.Forecaster.Calibration.WidthsNeverNarrow);

        // A version 3 model forecasts as it did (per-step widths); saved again in the current version, it still does.
        var old = (LstmForecastingTransformer)ml.Model.Load(
            Path.Combine(AppContext.BaseDirectory, "MLNet", "testdata", "lstm-forecasting-v3.zip"), out var schema);
        Assert.False(old.Forecaster.Calibration.WidthsNeverNarrow);
        using var saved = new MemoryStream();
        ml.Model.Save(old, schema, saved);
        var again = (LstmForecastingTransformer)ml.Model.Load(new MemoryStream(saved.ToArray()), out _);
        Assert.False(again.Forecaster.Calibration.WidthsNeverNarrow);
    }

    /// <summary>
    /// Fits one model per value of a setting on the same series, checks each with <paramref name="check"/>
    /// (value, model, loaded model) after a save/load that predicts alike, and that the setting changes the bounds.
    /// </summary>
    private static void EachSettingSavesAndReachesTheBounds<T>(Action<LstmForecastingOptions, T> apply,
        Action<T, LstmForecastingTransformer, LstmForecastingTransformer> check)
        where T : struct, Enum
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(120, seed: 3));
        var bounds = new List<float[]>();
        foreach (var value in Enum.GetValues<T>())
        {
            var options = ForecastByLstmTests.Options(120);
            apply(options, value);
            var model = ml.Forecasting.ForecastByLstm(options).Fit(data);
            var (loaded, forecast) = SaveLoadAndPredictAlike(ml, model, data);
            check(value, model, loaded);
            bounds.Add([.. forecast.Lower, .. forecast.Upper]);
        }
        Assert.NotEqual(bounds[0], bounds[1]);   // the setting reaches the bounds
    }

    /// <summary>Saves the model, loads it in a fresh context, and checks that both engines predict the same forecast and bounds.</summary>
    private static (LstmForecastingTransformer Loaded, SeriesForecast Forecast) SaveLoadAndPredictAlike(MLContext ml,
        LstmForecastingTransformer model, IDataView data)
    {
        using var dir = new TempDirectory();
        ml.Model.Save(model, data.Schema, dir.File("model.zip"));
        var loaded = (LstmForecastingTransformer)new MLContext().Model.Load(dir.File("model.zip"), out _);
        var a = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml).Predict();
        var b = loaded.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml).Predict();
        Assert.Equal(a.Forecast, b.Forecast);
        Assert.Equal(a.Lower, b.Lower);
        Assert.Equal(a.Upper, b.Upper);
        return (loaded, a);
    }
}
