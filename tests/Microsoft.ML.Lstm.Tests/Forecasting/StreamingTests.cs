using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.Forecasting;

/// <summary>
/// The engine's carried state is exact: streaming points one by one gives the forecasts of an engine
/// created on the extended series, and a saved state or model continues where it stopped.
/// </summary>
public class StreamingTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string, AutoSwitch, AutoSwitch, int> Cases => new()
    {
        // name, log, seasonal differencing, exogenous features
        { "seasonal", AutoSwitch.Off, AutoSwitch.On, 0 },
        { "log-naive-level", AutoSwitch.On, AutoSwitch.Off, 0 },
        { "seasonal-exogenous", AutoSwitch.Off, AutoSwitch.On, 2 },
    };

    private static (LstmForecaster Model, double[] Y, double[] X) Train(AutoSwitch log, AutoSwitch seasonal, int exogenous)
    {
        const int n = 160;
        var covariate = ForecastTestData.StepCovariate(n, 5);
        var y = ForecastTestData.Seasonal(n, 3, covariate, effect: 4);
        var x = new double[n * exogenous];
        for (int t = 0; t < n; t++)
            for (int e = 0; e < exogenous; e++) x[t * exogenous + e] = e == 0 ? covariate[t] : Math.Cos(t / 7.0);
        var o = ForecastTestData.FastOptions(exogenous: exogenous);
        (o.Model.LogTransform, o.Model.SeasonalDifferencing, o.Model.NumberOfEpochs) = (log, seasonal, 3);
        var model = LstmForecaster.Train(y.AsSpan(0, 120), o, x.AsSpan(0, 120 * exogenous));
        return (model, y, x);
    }

    private static double[] Future(double[] x, int from, int horizon, int e) => x.AsSpan(from * e, horizon * e).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void StreamingNPoints_EqualsRerunOnTheExtendedSeries(string name, AutoSwitch log, AutoSwitch seasonal, int e)
    {
        var (model, y, x) = Train(log, seasonal, e);
        int start = 100, H = model.Horizon;
        var engine = model.CreateEngine(y.AsSpan(0, start), x.AsSpan(0, start * e));
        for (int n = start; n < 150; n++)
        {
            engine.Update(y[n], x.AsSpan(n * e, e));
            if ((n - start) % 7 != 0 && n != 149) continue;
            var rerun = model.CreateEngine(y.AsSpan(0, n + 1), x.AsSpan(0, (n + 1) * e));
            Assert.Equal(n + 1, engine.Count);
            var future = Future(x, n + 1, H, e);
            ForecastTestData.AssertClose(rerun.Forecast(futureExogenous: future), engine.Forecast(futureExogenous: future), Tolerance);
        }
        Assert.True(name.Length > 0);
    }

    [Fact]
    public void SavedStateAndModel_ContinueExactly()
    {
        var (model, y, x) = Train(AutoSwitch.Auto, AutoSwitch.Auto, 1);
        int H = model.Horizon;
        var engine = model.CreateEngine(y.AsSpan(0, 110), x.AsSpan(0, 110));
        var saved = engine.GetState();
        var reloaded = LstmForecaster.FromData(model.ToData());
        var restored = reloaded.RestoreEngine(saved);
        for (int n = 110; n < 130; n++)
        {
            engine.Update(y[n], x.AsSpan(n, 1));
            restored.Update(y[n], x.AsSpan(n, 1));
        }
        var future = Future(x, 130, H, 1);
        ForecastTestData.AssertClose(engine.Forecast(futureExogenous: future), restored.Forecast(futureExogenous: future), 0);
        Assert.Equal(110, saved.Count);   // the saved state is a copy, not a view
    }

    [Fact]
    public void ShorterHorizon_IsAPrefixOfTheFullForecast()
    {
        var (model, y, _) = Train(AutoSwitch.Off, AutoSwitch.On, 0);
        var engine = model.CreateEngine(y.AsSpan(0, 120));
        var full = engine.Forecast();
        var three = engine.Forecast(3);
        Assert.Equal(3, three.Horizon);
        Assert.Equal(full.Point[..3], three.Point);
        Assert.Equal(full.Upper(0.95)[..3], three.Upper(0.95));
        for (int h = 0; h < full.Horizon; h++)
        {
            Assert.True(full.Lower(0.95)[h] <= full.Lower(0.80)[h] && full.Lower(0.80)[h] <= full.Point[h],
                $"lower bounds out of order at {h}");
            Assert.True(full.Point[h] <= full.Upper(0.80)[h] && full.Upper(0.80)[h] <= full.Upper(0.95)[h],
                $"upper bounds out of order at {h}");
        }
    }
}
