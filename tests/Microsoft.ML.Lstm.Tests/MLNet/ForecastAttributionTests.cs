using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>LstmForecastingTransformer.Explain: which history values drove each point forecast.</summary>
public class ForecastAttributionTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(AutoSwitch.Off)]
    [InlineData(AutoSwitch.On)]
    public void Attributions_AddUpToTheForecastChange_AndTheForecastIsTheEngines(AutoSwitch log)
    {
        var ml = new MLContext(seed: 1);
        var points = ForecastByLstmTests.Series(100, seed: 4);
        var options = ForecastByLstmTests.Options(100);
        (options.EnsembleSize, options.NumberOfEpochs, options.LogTransform) = (2, 5, log);
        var model = ml.Forecasting.ForecastByLstm(options).Fit(ml.Data.LoadFromEnumerable(points));
        var history = points.Select(p => p.Value).ToArray();

        var a = model.Explain(history);
        Assert.Equal(6, a.Outputs);
        Assert.Equal(100, a.Steps);
        var engine = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml);
        var forecast = engine.Predict();   // the state saved at the end of the training rows: the same history
        for (int h = 0; h < 6; h++) Assert.Equal(forecast.Forecast[h], a.Score[h], 1e-3 * Math.Abs(forecast.Forecast[h]));
        double worst = Enumerable.Range(0, 6).Max(a.CompletenessError);
        output.WriteLine($"log {log}: {a.NumberOfPoints} points, worst completeness error {worst:P3}; " +
            $"h=1 forecast {a.Score[0]:F2} vs baseline {a.BaselineScore[0]:F2}");
        Assert.True(worst < 0.01, $"completeness error {worst:P2}");
        // One step alone is the same as that step among all of them.
        var third = model.Explain(history, horizonStep: 3, numberOfPoints: a.NumberOfPoints);
        Assert.Equal(1, third.Outputs);
        Assert.Equal(a.Score[2], third.Score[0]);
        for (int t = 0; t < 100; t++) Assert.Equal(a[2, t], third[0, t], 1e-5);
        // The most recent values and those a season back weigh more than the oldest ones.
        var steps = a.StepTotals(0).Select(Math.Abs).ToArray();
        Assert.True(steps[^24..].Sum() > steps[..24].Sum(), "the last two seasons outweigh the first two");
    }

    [Fact]
    public void BadHistories_AreRefusedByName()
    {
        var ml = new MLContext(seed: 1);
        var points = ForecastByLstmTests.Series(100, seed: 4);
        var options = ForecastByLstmTests.Options(100);
        (options.EnsembleSize, options.NumberOfEpochs) = (1, 1);
        var model = ml.Forecasting.ForecastByLstm(options).Fit(ml.Data.LoadFromEnumerable(points));
        Assert.Equal("history", Assert.Throws<ArgumentException>(() => model.Explain(new float[5])).ParamName);
        Assert.Equal("history", Assert.Throws<ArgumentException>(() => model.Explain([.. Enumerable.Repeat(1f, 30), float.NaN])).ParamName);
        Assert.Equal("baseline", Assert.Throws<ArgumentException>(() => model.Explain(new float[30], new float[29])).ParamName);
        Assert.Equal("horizonStep",
            Assert.Throws<ArgumentOutOfRangeException>(() => model.Explain(new float[30], horizonStep: 7)).ParamName);
        Assert.Equal("seriesKey", Assert.Throws<ArgumentException>(() => model.Explain(new float[30], seriesKey: "a")).ParamName);
    }
}
