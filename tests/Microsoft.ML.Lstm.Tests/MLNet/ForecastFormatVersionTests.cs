using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>The forecaster's saved format: version 3 keeps the Box–Cox λ, version 4 how intervals combine, version 5 separate lower and upper offsets, and version 2 files still load.</summary>
public class ForecastFormatVersionTests
{
    /// <summary>
    /// A LSTMFCST version 2 model zip written by the code before version 3 (commit 79181f1): ForecastByLstm on
    /// 96 points of 100·e^(0.01 t)·(1 + 0.3 sin(2πt/12)) + (7919 t mod 13)/2 (log chosen), horizon 6, 90%
    /// interval, seed 4, SeasonalPeriod 12, HiddenSize 4, Epochs 5, EnsembleSize 2.
    /// </summary>
    private const string Version2Model =
        "UEsDBBQAAAAIADMZeV2l77AQLwAAAC8AAAAYAAAAVHJhaW5pbmdJbmZvL1ZlcnNpb24udHh0BcHBDQAgCASwv6uYmDsBlXGUwP4j" +
        "2NrAYL9aW5CBcGLFDM/yZF1RkLKVtHp+2gdQSwMEFAAAAAgAMxl5XfaiIdx9BgAASAcAABwAAABUcmFuc2Zvcm1lckNoYWluL01l" +
        "bWJlcnMuYmluhdN7UJTXHcbxl0CUWIUVXMRoua1YKwokElz2t3vOqwaC4IXgGkBXhSgKYmJgI8ii7HvQERVQaJBkwAiMqES5CCjo" +
        "e3bPSRMCQhEwUcT7NRDE2kGpUdFJx06nM3U6k/+eeWa+f37aBUHYPmaE3fkuG7VdtLDPW3JYymEXPjrjGTp89R6qGLQghUDYpklr" +
        "mOmBPd7V7IaKXqxEwT9UoqT4YiTW1mijcv/JpuSE4N0eCaw4tpolnfoj969O114sKUSZGg0OHfMbO7RIwUcOT+Vntrmz+VYrWv+o" +
        "AO2/NZMPuzjjJvdAlrhByycEXGCdowQedb/DOtifwVrfteEdcZF4r5+Jz6rr1vkmhyLtJRvdnqW1uuuubvw8AbxwWR7qzLuLSlY6" +
        "IfVoW748UI3j+9utBZFH2EfB7+H81e44QO/C13V58Miq5+xpvxNKz/ThhSvewdf4bVo+PxtNehiNd0S0suBfj7NxDi7oWWQDmh4U" +
        "g6f+2cRcvcrYlIZl2hZzHfuicZS2+fJnPG36OZY3VGsdezqRt0zJ1Z5a4gAPghzhkzYFZCkcNftLzPjrjWY8XSFhe2LGsRcUEN3k" +
        "BNPedqAPDBOAXB4L9ascYNQoBWgHck6/3ue3nZXvG5ypv8FGM/POS/n3+udzCRWB0Nz3CWyZQUAf7itP3J1Jr+yU4JdJ7rJ9YwaU" +
        "GQnoX26lETOSaeskfwB/AlMMBAp9JOgskGBzqw898TSTftofQHVZRlBkEHD5Kp0OeiVQMYZQe28CidEECoskcPubBIMjmRB3SKJF" +
        "MRvp2vIQ6JMIeOYl09K0tbQ8itDegC30BxcJyo5qguxStkCsgcC6p5m0dPEmmrY6jU6LJXA2IgVcdg/LQ5szaUpyAm39ZYEm/qNN" +
        "8v3NEs01boP2BZje7lYEvRFrop3jM4H7EajyG5ZvFJYEedwO13SP+avsq19MH04m9KGa0IfLJAhsNEOkbKLPhqJpw3EJvr/yoywj" +
        "4B9ssDC7QqX4avs9puz6fzY1UFa8Xynezca8WC2zRd4qEb7EPMepkfVMU4mhhzGPCDrJbH1UoiAIgp0gCCmzZ+s6jWpttJpZJ58b" +
        "Y3313TnfqGuLsmqv/uUDpjRlW50EQWj6BPitMgvbUKoUL+iB/72CsjfLlOLt9cArBMrGlilF/xrMP79+hlncVGLFUczjhUZ22V0l" +
        "9n2BuaXoJCv0UontgiDQsQdZzWxn7LHpZ5SVZM/lg054a7wKmXzewJlxLsym/TP2duVBq/hmrXXyucdsZs419GLgZ9S0LgSVf9ON" +
        "lr/lj+bLOu7R5M2flMZYE2XGwmICLJ3oT6x3xgbsOesnq/cCH+7qB7imtkqXvyYBl7bE6ZqGHVHHux2oynccXhnwGwpxmsuOyiqc" +
        "dGk9OjIwjyW4r+dd/ADztSnW9p9ZxLO3D1vmLHfFX/cu4tk3d6GbvzYzr4lWVLL2DrMbwvheaB3r0Z9k9fUxbLgonO2yc8WPo0V+" +
        "4R8L+Wm1Lb9yeAervOeGlt86gT5ecpopRs3itcfe4tsH+9mUeQZ2s0dAs7wN+H3zKo76+qyOO51Y1sAgS7gZznoupuEfHTbplHPs" +
        "UMuJdN3eue/onqwy8YiPEdrjNR46Limg4af7ckjweHgvxYxHt5rxxs1m/AJJ+F67Ao4kO9AuB2c6VD0OHuQr4GmlI1QzRwjZp4DX" +
        "+xPN46jy/Bq5Km8M7RsZ0fxen2VPqGtcGh1YTWhOOKE3jknUviedtt8OhWfJEm0dlkBeSMD2RjrslE3QmkigM4kAWkrgyGpC+75J" +
        "prFfaumOhlR4kXZes0qWoFlNwPAkA1L2G+F+NIHvjQTs3An0riW0aZ4EsUtTwVNDwOWYBAVmCa63SaAf2QbfzVkD3b4pVGzcSK8l" +
        "p1F93VbavpBA4j4CNX+QYGuwGcKWEAjTE3hYbwLnb8PlwF129JHHZTlLbaRPPkyiw9US9JYbIezkNnikzYCpSiN19Sagb0qFyi6J" +
        "Bh6Kg1ivFTA1X4K7fuma3KvpNH4CoccCCL27hdAwzwzKVhhp5tmZ8OJTQl83us/T8l+jXRP/v1HUdurfRlV7MLek/q/RCU+7tF7f" +
        "2lrW5aRqHwce1736BhZH64I6Cyxuy15qoUKNXhk9ZwAOX1lYRIlSfB4O/Np4C7M7oBRfhgMfuiqzpANKcaQCc/HlGbZomkp0qMPc" +
        "uPcU+9BDJbpuwzyq/iSb5q0S/wVQSwMEFAAAAAgAMxl5XbhHgnw6AQAATwIAABoAAABUcmFuc2Zvcm1lckNoYWluL01vZGVsLmtl" +
        "efP1YfD1d3H1YWJgZABhEAIBVShNCPgEh/i6OQeHwPT7FJfkuuUXpSYnFpeEFCXmFaflF+WmFuHU784Eof2htCqUVmKgD2BlYGAI" +
        "S8wpTQVxOBgYGGCOB0n45JenFoEYoQUFqUVpaWn2bAzwEDpw5swbexYon5EHrN83sMhUf599ioXFzyPfJth///MiIdxPxIFN/OSE" +
        "PsGr9jBLQaaQChKgNMgiw2k55VyPRB1WRDRMlUkWc9D7LTj191kxh4r9U04V/xZzmCno3s7zUsxh0trmGXWzxBzer72z5IO0mMND" +
        "3+Ys2UxRh69bnvKZvhZxiL36U8jpkIhDaYunghuXqMP61iUG3UtEHUD2QOMB7DtfhkyGZIYihnyGYoZ8hjSGEgY9Bl8GHwY9Bh+G" +
        "YoYShlwGH1cXf18GH18AUEsDBBQAAAAIADMZeV2E4ckeNgAAACgBAAAGAAAAU2NoZW1hc/b1YXAJc2JgY2AEQxgNQiCgAKUZoACN" +
        "O+QBa1hiTmkqW3BmXnpOKgMj2OsowCnMhcHH1xkAUEsBAhQDFAAAAAgAMxl5XaXvsBAvAAAALwAAABgAAAAAAAAAAAAAAKSBAAAA" +
        "AFRyYWluaW5nSW5mby9WZXJzaW9uLnR4dFBLAQIUAxQAAAAIADMZeV32oiHcfQYAAEgHAAAcAAAAAAAAAAAAAACkgWUAAABUcmFu" +
        "c2Zvcm1lckNoYWluL01lbWJlcnMuYmluUEsBAhQDFAAAAAgAMxl5XbhHgnw6AQAATwIAABoAAAAAAAAAAAAAAKSBHAcAAFRyYW5z" +
        "Zm9ybWVyQ2hhaW4vTW9kZWwua2V5UEsBAhQDFAAAAAgAMxl5XYThyR42AAAAKAEAAAYAAAAAAAAAAAAAAKSBjggAAFNjaGVtYVBL" +
        "BQYAAAAABAAEAAwBAADoCAAAAAA=";

    /// <summary>What that model's engine predicted when it was written (forecast, lower, upper).</summary>
    private static readonly float[][] Version2Prediction =
    [
        [265.74792f, 301.45425f, 334.62634f, 349.83124f, 343.64633f, 318.2816f],
        [264.15186f, 299.638f, 332.59946f, 347.60397f, 341.41238f, 316.20377f],
        [277.9326f, 315.2686f, 349.95038f, 367.12195f, 360.58206f, 333.95627f],
    ];

    [Fact]
    public void Version2ModelLoads_AsALogTransform_AndPredictsAsWhenItWasWritten()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("v2.zip"), Convert.FromBase64String(Version2Model));
        var ml = new MLContext(seed: 1);
        var model = (LstmForecastingTransformer)ml.Model.Load(dir.File("v2.zip"), out _);
        Assert.True(model.Forecaster.Transform.UseLog);
        Assert.Equal(0, model.Forecaster.Transform.BoxCoxLambda);
        Assert.Equal(EnsembleIntervals.QuantileAverage, model.Forecaster.Options.EnsembleIntervals);   // as its calibration was fitted
        var f = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml).Predict();
        var got = new[] { f.Forecast, f.Lower, f.Upper };
        for (int k = 0; k < 3; k++)
            for (int h = 0; h < 6; h++)   // relative 1e-5: kernels may reorder float rounding, never more
                Assert.True(Math.Abs(got[k][h] - Version2Prediction[k][h]) <= 1e-5 * Math.Abs(Version2Prediction[k][h]), $"column {k}, step {h}: {got[k][h]} vs {Version2Prediction[k][h]}");
    }

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
        options.Model.PowerTransform = AutoSwitch.On;
        options.Model.NumberOfEpochs = 3;
        var data = ml.Data.LoadFromEnumerable(points);
        var model = ml.Forecasting.ForecastByLstm(options).Fit(data);
        double lambda = model.Forecaster.Transform.BoxCoxLambda;
        Assert.InRange(lambda, 0.01, 0.99);

        var (loaded, _) = SaveLoadAndPredictAlike(ml, model, data);
        Assert.Equal(lambda, loaded.Forecaster.Transform.BoxCoxLambda);
    }

    [Fact]
    public void EnsembleIntervals_IsSaved_AndTheLoadedModelPredictsTheSameBounds() =>
        EachSettingSavesAndReachesTheBounds<EnsembleIntervals>((options, kind) => (options.Model.EnsembleSize, options.Model.EnsembleIntervals) = (3, kind),
            (kind, _, loaded) => Assert.Equal(kind, loaded.Forecaster.Options.EnsembleIntervals));

    [Fact]
    public void SeparateTailOffsets_AreSaved_AndTheLoadedModelPredictsTheSameBounds() =>
        EachSettingSavesAndReachesTheBounds<CalibrationTails>((options, tails) => options.Model.CalibrationTails = tails, (tails, model, loaded) =>
        {
            var calibration = model.Forecaster.Calibration;
            Assert.Equal(tails == CalibrationTails.Joint, calibration.Symmetric);
            Assert.Equal(calibration.Symmetric ? 1 : 2, calibration.Offsets.Count / (model.Forecaster.Options.ConfidenceLevels.Length * model.Forecaster.Options.Horizon));
            Assert.Equal(calibration.Offsets, loaded.Forecaster.Calibration.Offsets);
        });

    /// <summary>
    /// Fits one model per value of a setting on the same series, checks each with <paramref name="check"/>
    /// (value, model, loaded model) after a save/load that predicts alike, and that the setting changes the bounds.
    /// </summary>
    private static void EachSettingSavesAndReachesTheBounds<T>(Action<LstmForecastingOptions, T> apply, Action<T, LstmForecastingTransformer, LstmForecastingTransformer> check)
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
    private static (LstmForecastingTransformer Loaded, SeriesForecast Forecast) SaveLoadAndPredictAlike(MLContext ml, LstmForecastingTransformer model, IDataView data)
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
