using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.Forecasting;

/// <summary>Metrics against values computed by hand.</summary>
public class ForecastMetricsTests
{
    // errors 1, 0, 3
    private static readonly double[] Actual = [1, 2, 4], Forecast = [2, 2, 1];

    [Fact]
    public void PointMetrics_MatchHandComputedValues()
    {
        Assert.Equal(4.0 / 3, ForecastMetrics.Mae(Actual, Forecast), 12);
        Assert.Equal(Math.Sqrt(10.0 / 3), ForecastMetrics.Rmse(Actual, Forecast), 12);
        Assert.Equal(100 * (1 + 0 + 0.75) / 3, ForecastMetrics.Mape(Actual, Forecast), 12);
        Assert.Equal(100 * (2.0 / 3 + 0 + 6.0 / 5) / 3, ForecastMetrics.Smape(Actual, Forecast), 12);
    }

    [Fact]
    public void Mase_ScalesByTheInSampleSeasonalNaiveError()
    {
        double[] inSample = [1, 3, 2, 6];
        Assert.Equal((4.0 / 3) / 2, ForecastMetrics.Mase(Actual, Forecast, inSample, seasonalPeriod: 2), 12);   // |2−1|, |6−3| → 2
        Assert.Equal((4.0 / 3) / (7.0 / 3), ForecastMetrics.Mase(Actual, Forecast, inSample, seasonalPeriod: 1), 12);   // 2, 1, 4 → 7/3
    }

    [Fact]
    public void Coverage_CountsBoundsAsInside() =>
        Assert.Equal(2.0 / 3, ForecastMetrics.Coverage(Actual, [0, 2.5, 4], [1, 3, 5]), 12);

    [Fact]
    public void Smape_CountsZeroOverZeroAsZero() => Assert.Equal(0, ForecastMetrics.Smape([0.0, 0.0], [0.0, 0.0]));

    [Fact]
    public void BadInputs_AreRejected()
    {
        Assert.Contains("3 actual values but 2 forecasts",
            Assert.Throws<ArgumentException>(() => ForecastMetrics.Mae(Actual, [1.0, 2.0])).Message);
        Assert.Contains("actual[1] is 0", Assert.Throws<ArgumentException>(() => ForecastMetrics.Mape([1.0, 0.0], [1.0, 1.0])).Message);
        Assert.Contains("constant at lag 1",
            Assert.Throws<ArgumentException>(() => ForecastMetrics.Mase(Actual, Forecast, [5.0, 5.0, 5.0], 1)).Message);
        Assert.Contains("more than 12",
            Assert.Throws<ArgumentException>(() => ForecastMetrics.Mase(Actual, Forecast, [1.0, 2.0], 12)).Message);
        Assert.Contains("forecast[0] is not finite",
            Assert.Throws<ArgumentException>(() => ForecastMetrics.Rmse([1.0], [double.NaN])).Message);
        Assert.Throws<ArgumentException>(() => ForecastMetrics.Mae([], []));
    }
}
