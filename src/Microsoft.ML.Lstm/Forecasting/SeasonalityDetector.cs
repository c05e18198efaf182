namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Finds the seasonal period of a series from its autocorrelation, for forecasts whose caller gave none (as
/// <c>ForecastBySsa</c> needs none). The series is detrended (its least-squares line removed; its first differences
/// when that shows no season, as for a random walk with a seasonal component), its autocorrelation r(k) is computed up
/// to a third of its length, and the candidates are the lags k ≥ 2 where r has a clear peak: a local maximum above
/// the significance band 2/√n and above
/// <see cref="MinPeak"/> and rising by at least <see cref="MinProminence"/> over the lowest r between k/2 and k. The
/// period is the highest such peak, or the smallest of its divisors that also peaks within
/// <see cref="HarmonicTolerance"/> of it (so 12, not 24 or 36, for monthly data). No clear peak gives 0: no season.
/// </summary>
internal static class SeasonalityDetector
{
    /// <summary>Smallest autocorrelation a seasonal peak may have.</summary>
    public const double MinPeak = 0.3;

    /// <summary>Smallest rise of a peak over the trough before it.</summary>
    public const double MinProminence = 0.1;

    /// <summary>How much lower a divisor of the highest peak may be and still be chosen.</summary>
    public const double HarmonicTolerance = 0.01;

    /// <summary>Largest period searched.</summary>
    public const int MaxPeriod = 400;

    /// <summary>The seasonal period of <paramref name="y"/> (≥ 2), or 0 when it has none that stands out.</summary>
    public static int Detect(ReadOnlySpan<double> y)
    {
        if (y.Length < 12) return 0;
        var x = Detrended(y);
        int period = Peak(x);
        return period > 0 ? period : Peak(Differenced(x));
    }

    /// <summary>The period of the clearest autocorrelation peak of <paramref name="x"/>, or 0.</summary>
    private static int Peak(double[] x)
    {
        int maxLag = Math.Min(MaxPeriod, x.Length / 3);
        if (maxLag < 3) return 0;
        var r = SeriesDiagnostics.Autocorrelations(x, maxLag + 1);
        double band = 2 / Math.Sqrt(x.Length);
        var peaks = new List<int>();
        for (int k = 2; k <= maxLag; k++)
        {
            if (!(r[k] >= r[k - 1] && r[k] >= r[k + 1] && r[k] > band && r[k] > MinPeak)) continue;
            double trough = double.PositiveInfinity;
            for (int j = Math.Max(1, k / 2); j < k; j++) trough = Math.Min(trough, r[j]);
            if (r[k] - trough >= MinProminence) peaks.Add(k);
        }
        if (peaks.Count == 0) return 0;
        int top = peaks.MaxBy(k => r[k]);
        // A season of length d also peaks at 2d, 3d, ...: prefer the smallest divisor d of the top lag whose every
        // multiple up to it peaks nearly as high (a pattern of 12 with a quarterly shape peaks at 3, 6 and 9 too, lower).
        foreach (int d in peaks)
        {
            if (d >= top || top % d != 0) continue;
            bool harmonic = true;
            for (int k = d; k <= top; k += d) harmonic &= r[k] >= r[top] - HarmonicTolerance;
            if (harmonic) return d;
        }
        return top;
    }

    /// <summary>y minus its least-squares line.</summary>
    private static double[] Detrended(ReadOnlySpan<double> y)
    {
        var (mean, slope) = SeriesDiagnostics.LinearTrend(y);
        double tMean = (y.Length - 1) / 2.0;
        var x = new double[y.Length];
        for (int t = 0; t < y.Length; t++) x[t] = y[t] - mean - slope * (t - tMean);
        return x;
    }

    private static double[] Differenced(double[] x)
    {
        if (x.Length < 2) return [];
        var d = new double[x.Length - 1];
        for (int t = 1; t < x.Length; t++) d[t - 1] = x[t] - x[t - 1];
        return d;
    }
}
