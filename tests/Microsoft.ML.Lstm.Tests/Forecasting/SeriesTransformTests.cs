using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.Forecasting;

/// <summary>The preprocessing: the automatic choices and the exact inverse of the target transform.</summary>
public class SeriesTransformTests
{
    private static double[] Multiplicative(int n) =>
        Enumerable.Range(0, n).Select(t => 100 * Math.Exp(0.02 * t) * (1 + 0.3 * Math.Sin(2 * Math.PI * t / 12))).ToArray();

    [Fact]
    public void Auto_PicksLogAndSeasonalDifferencing_ForAGrowingMultiplicativeSeasonalSeries()
    {
        var y = Multiplicative(120);
        var t = SeriesTransform.Fit(y, [], new ForecasterSettings { Model = { SeasonalPeriod = 12 } });
        Assert.True(t.UseLog);
        Assert.Equal(12, t.Lag);
        Assert.False(t.LevelInput);
        Assert.Equal(12 * 0.02, t.Drift, 6);
    }

    /// <summary>R's JohnsonJohnson (quarterly earnings per share, 1960–1978), the first 76 quarters.</summary>
    private static readonly double[] JohnsonJohnson =
    [
        0.71, 0.63, 0.85, 0.44, 0.61, 0.69, 0.92, 0.55, 0.72, 0.77, 0.92, 0.6, 0.83, 0.8, 1, 0.77, 0.92, 1, 1.24, 1, 1.16, 1.3,
        1.45, 1.25, 1.26, 1.38, 1.86, 1.56, 1.53, 1.59, 1.83, 1.86, 1.53, 2.07, 2.34, 2.25, 2.16, 2.43, 2.7, 2.25, 2.79, 3.42,
        3.69, 3.6, 3.6, 4.32, 4.32, 4.05, 4.86, 5.04, 5.04, 4.41, 5.58, 5.85, 6.57, 5.31, 6.03, 6.39, 6.93, 5.85, 6.93, 7.74,
        7.83, 6.12, 7.74, 8.91, 8.28, 6.84, 9.54, 10.26, 9.54, 8.73, 11.88, 12.06, 12.15, 8.91
    ];

    [Fact]
    public void Auto_DifferencesSeasonally_WhenTheSeasonPeaksClearly_ThoughItsShapeDrifts()
    {
        // Its quarterly pattern changes shape over the years, so a fixed profile explains less than the 0.64 the strength
        // test asks, but the autocorrelation peaks clearly at 4 and the seasonal naive beats the naive forecast: without
        // seasonal differencing the network started from the last (fourth-quarter) value and forecast 2.5 times worse.
        var x = JohnsonJohnson.Select(v => Math.Log(v)).ToArray();
        Assert.True(SeriesDiagnostics.SeasonalStrength(x, 4) < SeriesDiagnostics.SeasonalStrengthThreshold);
        var t = SeriesTransform.Fit(JohnsonJohnson, [], new ForecasterSettings { Model = { SeasonalPeriod = 4, Horizon = 8 } });
        Assert.True(t.UseLog);
        Assert.Equal(4, t.Lag);
    }

    [Fact]
    public void Auto_PicksNeither_ForNoiseAroundALevel()
    {
        var rng = new Microsoft.ML.Lstm.Core.Rng(3);
        var y = Enumerable.Range(0, 240).Select(_ => 10 + rng.NextGaussian()).ToArray();
        Assert.True(SeriesDiagnostics.SeasonalStrength(y, 12) < SeriesDiagnostics.SeasonalStrengthThreshold);
        var t = SeriesTransform.Fit(y, [], new ForecasterSettings { Model = { SeasonalPeriod = 12 } });
        Assert.False(t.UseLog);
        Assert.Equal(1, t.Lag);
        Assert.True(t.LevelInput);
    }

    [Fact]
    public void Reconstruct_InvertsTarget_AtEveryHorizon()
    {
        var t = new SeriesTransform(useLog: true, lag: 12, levelInput: false,
            drift: 0.1, scale: 0.05, levelMean: 5, levelScale: 0.4, [], []);
        for (int h = 1; h <= 30; h++)
        {
            Assert.InRange(t.BaselineOffset(h), -11, 0);
            Assert.Equal((h - 1) / 12 + 1, t.DriftSteps(h));
            Assert.Equal(6.3, t.Reconstruct(t.Target(6.3, 5.9, h), 5.9, h), 12);
        }
        Assert.Equal(-11, t.BaselineOffset(1));
        Assert.Equal(0, t.BaselineOffset(12));
        Assert.Equal(-11, t.BaselineOffset(13));
        Assert.Equal(250.0, t.FromModel(t.ToModel(250.0)), 9);
    }
}
