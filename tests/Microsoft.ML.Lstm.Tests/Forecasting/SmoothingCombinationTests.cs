using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.Forecasting;

/// <summary>
/// The exponential smoothing the forecaster combines its LSTM with: seasonal indices, the damped-trend fit, the weight
/// chosen on the holdout, and that the weight really moves the forecast between the LSTM and the smoothing.
/// </summary>
public class SmoothingCombinationTests
{
    [Fact]
    public void SeasonalAdjustment_RecoversMultiplicativeIndices_AndLeavesNoiseAlone()
    {
        var rng = new Rng(2);
        var factors = new[] { 0.8, 0.9, 1.0, 1.1, 1.2, 1.0 };
        var y = Enumerable.Range(0, 120).Select(t => (100 + 0.5 * t) * factors[t % 6] * (1 + 0.01 * rng.NextGaussian())).ToArray();
        var season = SeasonalAdjustment.Fit(y, 6);
        Assert.True(season.Multiplicative);
        for (int i = 0; i < 6; i++)
            Assert.InRange(season.Indices[i], factors[i] / factors.Average() - 0.02, factors[i] / factors.Average() + 0.02);
        Assert.Equal(y[7] / season.Indices[1], season.Adjust(y[7], 7), 12);
        Assert.Equal(y[7], season.Restore(season.Adjust(y[7], 7), 7), 10);

        var noise = Enumerable.Range(0, 120).Select(_ => 10 + rng.NextGaussian()).ToArray();
        Assert.Equal(0, SeasonalAdjustment.Fit(noise, 6).Period);
        var centred = y.Select(v => v - 150).ToArray();   // values ≤ 0: additive indices
        Assert.False(SeasonalAdjustment.Fit(centred, 6).Multiplicative);
    }

    [Fact]
    public void TheNetworksSeasonalLag_IsAdjustedFor_WhereThreeCyclesFailThetafsTest()
    {
        // Three years of a trending monthly series with a clear season of no simple shape: the trend's autocorrelation at
        // lags 1 … 11 widens thetaf's band beyond r_12, so the test alone leaves the season in and the smoothing chases it.
        var rng = new Rng(4);
        var profile = Enumerable.Range(0, 12).Select(_ => 15 * rng.NextGaussian()).ToArray();
        double Truth(int t) => 100 + 2 * t + profile[t % 12];
        var y = Enumerable.Range(0, 36).Select(t => Truth(t) + rng.NextGaussian()).ToArray();
        var untested = SmoothingBaseline.Fit(y, [12], lag: 1);
        Assert.Empty(untested.Seasons);
        var seasonal = SmoothingBaseline.Fit(y, [12], lag: 12);
        Assert.Equal(12, Assert.Single(seasonal.Seasons).Period);
        double Error(SmoothingBaseline model)
        {
            var forecast = new double[12];
            model.Forecast(model.Run(y), y.Length, forecast);
            return Enumerable.Range(0, 12).Average(h => Math.Abs(forecast[h] - Truth(36 + h)));
        }
        // The season's standard deviation is 15: adjusted, the year ahead is off by under half of it; unadjusted, by about it.
        Assert.True(Error(seasonal) < 7.5 && Error(untested) > 2 * Error(seasonal),
            $"mean absolute error adjusted {Error(seasonal):F4}, not adjusted {Error(untested):F4}");
    }

    [Fact]
    public void DampedTrend_FitsTheGridPointWithTheSmallestSquaredError_AndForecastsByTheRecursion()
    {
        var rng = new Rng(4);
        var x = Enumerable.Range(0, 80).Select(t => 20 + 0.7 * t + 3 * Math.Sin(t / 5.0) + rng.NextGaussian()).ToArray();
        var fit = DampedTrend.Fit(x);
        double Sse(DampedTrend p)
        {
            var s = p.StartedOn(x);
            return x.Sum(v => Math.Pow(s.Update(v), 2));
        }
        double best = Sse(fit);
        foreach (double a in new[] { 0.02, 0.1, 0.3, 0.5, 0.9, 0.98 })
            foreach (double b in new[] { 0.01, 0.1, 0.5 })
                foreach (double phi in new[] { 0.8, 0.9, 0.98 })
                    Assert.True(best <= Sse(new DampedTrend { Alpha = a, Beta = b, Phi = phi }) + 1e-9);

        var state = fit.StartedOn(x);
        foreach (double v in x) state.Update(v);
        Assert.Equal(fit.Level, state.Level, 9);   // Fit returns the state after the series
        double level = state.Level, trend = state.Trend, expected = level;
        for (int h = 1; h <= 5; h++) expected += Math.Pow(fit.Phi, h) * trend;
        Assert.Equal(expected, state.Forecast(5), 9);
        Assert.True(state.Forecast(5) > x[^1] - 5, "a rising series keeps rising");
    }

    [Fact]
    public void Choose_PicksTheCandidateWithTheSmallestAbsoluteError_AndHalfWithoutPairs()
    {
        // Targets at 0.75 of the way from the medians to the smoothing.
        double[] medians = [0, 0, 0, 0], smoothing = [4, 8, -4, double.NaN];
        float[] targets = [3, 6, -3, 100];
        var (weight, lstm, alone, combined) = SmoothingCombination.Choose(medians, smoothing, targets);
        Assert.Equal(0.75, weight);
        Assert.Equal(4.0, lstm, 12);
        Assert.Equal(4.0 / 3, alone, 12);
        Assert.Equal(0.0, combined, 12);
        Assert.Equal(SmoothingCombination.Default, SmoothingCombination.Choose([1], [2], [float.NaN]).Weight);

        double[] quantiles = [1, 2, 4];
        SmoothingCombination.Shift(quantiles, median: 1, smoothing: 6, weight: 0.25);
        Assert.Equal([2.0, 3.0, 5.0], quantiles);
    }

    [Fact]
    public void Weight_MovesTheForecastFromTheLstmToTheSmoothing_AndIsChosenWhenOpen()
    {
        var y = ForecastTestData.Seasonal(150, 8);
        LstmForecaster Train(double? weight)
        {
            var o = ForecastTestData.FastOptions();
            (o.Model.SeasonalPeriod, o.Model.LogTransform) = (ForecastTestData.Period, AutoSwitch.Off);   // y = x: the mean is exact
            o.Model.ExponentialSmoothingWeight = weight;
            return LstmForecaster.Train(y, o);
        }
        var lstm = Train(0).CreateEngine(y).Forecast().Point;
        var half = Train(0.5).CreateEngine(y).Forecast().Point;
        var smoothingModel = Train(1);
        var smoothing = smoothingModel.CreateEngine(y).Forecast().Point;
        // Same networks (the weight does not touch training), so the combination is the mean of the two.
        for (int h = 0; h < lstm.Length; h++) Assert.Equal((lstm[h] + smoothing[h]) / 2, half[h], 4);
        // Weight 1 is the smoothing alone: the baseline's own forecast, back from model space.
        var baseline = smoothingModel.Smoothing;
        var expected = new double[lstm.Length];
        baseline.Forecast(baseline.Run(y), y.Length, expected);
        for (int h = 0; h < lstm.Length; h++) Assert.Equal(expected[h], smoothing[h], 4);

        var chosen = Train(null);
        Assert.Contains(chosen.SmoothingWeight, SmoothingCombination.Candidates);
        Assert.Contains(chosen.Options.Model.ExponentialSmoothingWeight, SmoothingCombination.Candidates.Cast<double?>());
    }
}
