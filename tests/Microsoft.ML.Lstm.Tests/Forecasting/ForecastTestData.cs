using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.Forecasting;

/// <summary>Small synthetic series and fast settings for the forecasting tests.</summary>
internal static class ForecastTestData
{
    public const int Period = 12;

    /// <summary>
    /// Level 50 + trend + seasonal sine of period 12 + Gaussian noise, plus <paramref name="effect"/>·x_t for covariate x.
    /// </summary>
    public static double[] Seasonal(int n, ulong seed, double[]? covariate = null, double effect = 0)
    {
        var rng = new Rng(seed);
        var y = new double[n];
        for (int t = 0; t < n; t++)
            y[t] = 50 + 0.05 * t + 5 * Math.Sin(2 * Math.PI * t / Period) + 0.5 * rng.NextGaussian() + effect * (covariate?[t] ?? 0);
        return y;
    }

    /// <summary>A 0/1 covariate that switches regime every 15–40 steps.</summary>
    public static double[] StepCovariate(int n, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new double[n];
        double v = 0;
        for (int t = 0, next = 0; t < n; t++)
        {
            if (t == next) { v = 1 - v; next = t + 15 + rng.NextInt(26); }
            x[t] = v;
        }
        return x;
    }

    /// <summary>Small, fast settings: two members, few epochs.</summary>
    public static ForecasterSettings FastOptions(int horizon = 6, int exogenous = 0) => new()
    {
        Model =
        {
            Horizon = horizon, WindowSize = 24, SeriesLength = 36, SeasonalPeriod = Period, HiddenSize = 8,
            NumberOfEpochs = 15, EarlyStoppingPatience = 5, EnsembleSize = 2,
        },
        ExogenousCount = exogenous, Seed = 42,
    };

    /// <summary>Asserts that two forecasts agree within <paramref name="tolerance"/> in every point and bound.</summary>
    public static void AssertClose(ForecastResult expected, ForecastResult actual, double tolerance)
    {
        Assert.Equal(expected.Horizon, actual.Horizon);
        void Same(double[] a, double[] b, string what)
        {
            for (int h = 0; h < a.Length; h++)
                Assert.True(Math.Abs(a[h] - b[h]) <= tolerance,
                    $"{what}[{h}]: {a[h]} vs {b[h]} (difference {Math.Abs(a[h] - b[h]):E2} > {tolerance:E0})");
        }
        Same(expected.Point, actual.Point, "point");
        foreach (double c in expected.ConfidenceLevels)
        {
            Same(expected.Lower(c), actual.Lower(c), $"lower {c}");
            Same(expected.Upper(c), actual.Upper(c), $"upper {c}");
        }
    }
}
