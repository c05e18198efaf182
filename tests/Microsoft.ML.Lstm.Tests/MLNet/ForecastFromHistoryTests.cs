namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// Stateless forecasts: an engine created over a given history (CreateForecastingEngine with history rows) forecasts as
/// the model's carried state does at the same point, leaves the transformer unchanged, runs on several threads at once, and
/// names the history when it does not fit.
/// </summary>
public class ForecastFromHistoryTests
{
    private static (MLContext Ml, List<SeriesPoint> Points, LstmForecastingTransformer Model) Trained()
    {
        var ml = new MLContext(seed: 1);
        var points = ForecastByLstmTests.Series(130, 1);
        var options = ForecastByLstmTests.Options(100);
        options.NumberOfEpochs = 5;
        return (ml, points, ml.Forecasting.ForecastByLstm(options).Fit(ml.Data.LoadFromEnumerable(points)));
    }

    [Fact]
    public void AnEngineOverTheTrainingRows_ForecastsAsTheCarriedState_AndStreamsAsALongerHistory()
    {
        var (ml, points, model) = Trained();
        var carried = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml);
        var fromHistory = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml, points.Take(100).ToList());
        Assert.Equal(100, fromHistory.Count);
        var a = carried.Predict();
        var b = fromHistory.Predict();
        Assert.Equal(a.Forecast, b.Forecast);
        Assert.Equal(a.Lower, b.Lower);
        Assert.Equal(a.Upper, b.Upper);

        // Five more observations streamed in = an engine created over the 105 rows.
        foreach (var p in points.Skip(100).Take(5)) fromHistory.Predict(p);
        var longer = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml, points.Take(105).ToList());
        Assert.Equal(fromHistory.Predict().Forecast, longer.Predict().Forecast);
        // The transformer's carried state did not move.
        Assert.Equal(a.Forecast, model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml).Predict().Forecast);
    }

    [Fact]
    public void EnginesOverRecentRows_AnswerTheSameOnManyThreadsAsOneAtATime()
    {
        var (ml, points, model) = Trained();
        var histories = Enumerable.Range(0, 24).Select(i => points.Skip(i).Take(40 + i).ToList()).ToArray();
        var sequential = histories.Select(h => model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml, h).Predict()).ToArray();
        var parallel = new SeriesForecast[histories.Length];
        Parallel.For(0, histories.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => parallel[i] = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml, histories[i]).Predict());
        for (int i = 0; i < histories.Length; i++)
        {
            Assert.Equal(sequential[i].Forecast, parallel[i].Forecast);
            Assert.Equal(sequential[i].Upper, parallel[i].Upper);
        }
        Assert.NotEqual(sequential[0].Forecast, sequential[1].Forecast);
    }

    [Fact]
    public void AHistoryThatDoesNotFit_IsNamed()
    {
        var (ml, points, model) = Trained();
        var shortHistory = Assert.Throws<ArgumentException>(
            () => model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml, points.Take(5).ToList()));
        Assert.Equal("history", shortHistory.ParamName);
        Assert.Contains("needs more than", shortHistory.Message);

        var withNaN = points.Take(40).Select(p => new SeriesPoint { Value = p.Value }).ToList();
        withNaN[7].Value = float.NaN;
        var nan = Assert.Throws<ArgumentException>(() => model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml, withNaN));
        Assert.Equal("history", nan.ParamName);

        var global = Assert.Throws<ArgumentException>(
            () => model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml, points.Take(40).ToList(), "store 1"));
        Assert.Contains("one series", global.Message);
    }
}
