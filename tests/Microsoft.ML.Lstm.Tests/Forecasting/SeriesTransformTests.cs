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
