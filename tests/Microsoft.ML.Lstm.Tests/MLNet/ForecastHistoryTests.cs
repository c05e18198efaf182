namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// A trained forecaster keeps every ensemble member's epochs (Keras's History), also after Model.Save/Model.Load; a model
/// saved in the previous format (no autoregression, no history) loads and forecasts exactly as it did.
/// </summary>
public class ForecastHistoryTests
{
    [Fact]
    public void TrainingHistory_HoldsEachMembersEpochs_AndSurvivesSaveAndLoad()
    {
        var ml = new MLContext(seed: 1);
        var options = ForecastByLstmTests.Options(100);
        (options.EnsembleSize, options.NumberOfEpochs, options.EarlyStoppingPatience) = (3, 5, 2);
        var data = ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(100, seed: 2));
        var model = ml.Forecasting.ForecastByLstm(options).Fit(data);

        var history = model.TrainingHistory;
        Assert.Equal(3, history.Count);
        foreach (var member in history)
        {
            Assert.InRange(member.Count, 1, 5);
            Assert.Equal(Enumerable.Range(1, member.Count), member.Select(e => e.Epoch));
            Assert.All(member, e => Assert.Equal("pinball", e.MetricName));
            Assert.All(member, e => Assert.True(double.IsFinite(e.TrainLoss) && e.TrainLoss > 0, $"train loss {e.TrainLoss}"));
            Assert.All(member, e => Assert.NotNull(e.ValidationLoss));
        }
        Assert.NotEqual(history[0].Select(e => e.TrainLoss), history[1].Select(e => e.TrainLoss));

        using var dir = new TempDirectory();
        ml.Model.Save(model, data.Schema, dir.File("model.zip"));
        var loaded = (LstmForecastingTransformer)new MLContext().Model.Load(dir.File("model.zip"), out _);
        Assert.Equal(history.Count, loaded.TrainingHistory.Count);
        for (int k = 0; k < history.Count; k++) Assert.Equal(history[k], loaded.TrainingHistory[k]);
    }

    [Fact]
    public void WithoutEarlyStopping_TheHistoryHasNoHoldoutFigures()
    {
        var ml = new MLContext(seed: 1);
        var options = ForecastByLstmTests.Options(100);
        (options.NumberOfEpochs, options.EarlyStoppingPatience) = (4, 0);
        var model = ml.Forecasting.ForecastByLstm(options).Fit(ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(100, seed: 2)));
        var member = Assert.Single(model.TrainingHistory);
        Assert.Equal([1, 2, 3, 4], member.Select(e => e.Epoch));
        Assert.All(member, e => Assert.Null(e.ValidationLoss));
    }

    [Fact]
    public void AModelSavedInVersion2_LoadsWithTheSmoothingAlone_AndForecastsAsBefore()
    {
        // testdata/lstm-forecasting-v2.zip: LSTMFCST version 2, written by commit 6971e3e (ForecastByLstmTests.Options(100)
        // with 3 epochs and 2 members, on Series(100, seed 1) without the covariate); the forecasts it gave then, in "R" format.
        float[] forecast = [79.64501f, 76.52854f, 71.45855f, 66.25538f, 61.679844f, 60.22727f];
        float[] lower = [78.37203f, 75.25651f, 70.24566f, 65.04157f, 60.406254f, 58.954372f];
        float[] upper = [81.46331f, 78.285835f, 73.33503f, 68.30396f, 63.669197f, 62.32105f];
        float[] afterNext = [75.34964f, 70.40503f, 65.2417f, 60.676785f, 59.29348f, 62.155087f];
        var ml = new MLContext(seed: 1);
        string path = Path.Combine(AppContext.BaseDirectory, "MLNet", "testdata", "lstm-forecasting-v2.zip");
        var loaded = (LstmForecastingTransformer)ml.Model.Load(path, out _);
        Assert.Null(loaded.Forecaster.Smoothing.Autoregression);
        Assert.Equal(2, loaded.TrainingHistory.Count);
        Assert.All(loaded.TrainingHistory, Assert.Empty);

        var engine = loaded.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml);
        var first = engine.Predict();
        Close(forecast, first.Forecast);
        Close(lower, first.Lower);
        Close(upper, first.Upper);
        Close(afterNext, engine.Predict(new SeriesPoint { Value = 72.5f }).Forecast);
    }

    /// <summary>Equal up to float rounding (another machine's vector width may sum in another order).</summary>
    private static void Close(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-3);
    }
}
