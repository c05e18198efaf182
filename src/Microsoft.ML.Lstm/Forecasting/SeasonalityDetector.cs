namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Finds the seasonal period of a series from its autocorrelation, for forecasts whose caller gave none (as
/// <c>ForecastBySsa</c> needs none). The search runs on the series detrended (its least-squares line removed) and on
/// its first differences, and keeps the one whose highest peak is higher: a season on a wandering level (a random walk
/// or a business cycle, whose slow swings lift every autocorrelation of the detrended series alike) stands out in the
/// differences. Its autocorrelation r(k) is computed up
/// to a third of its length, and the candidates are the lags k ≥ 2 where r has a clear peak: a local maximum above
/// the significance band 2/√n and above
/// <see cref="MinPeak"/> and rising by at least <see cref="MinProminence"/> over the lowest r between k/2 and k. The
/// period is the highest such peak, or the smallest of its divisors that also peaks within
/// <see cref="HarmonicTolerance"/> of it (so 12, not 24 or 36, for monthly data). No clear peak gives 0: no season.
/// <see cref="DetectAll"/> also finds the seasons inside and beyond that one. Inside: a divisor d of the period p that also
/// peaks, when d's mean profile carries at least <see cref="InnerShare"/> of the variance of p's (the day in a week of
/// half-hourly data, the year in a four-year cycle of monthly data). Beyond: once the mean profile of each season found is
/// removed, a clear peak at least twice as long as the last is the next (at a multiple of the last when that peaks within
/// <see cref="HarmonicTolerance"/> of it).
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

    /// <summary>Smallest share of the period's profile variance a divisor's profile must carry to be the period itself.</summary>
    public const double InnerShare = 2.0 / 3;

    /// <summary>Most periods <see cref="DetectAll"/> returns.</summary>
    public const int MaxPeriods = 3;

    /// <summary>The seasonal period of <paramref name="y"/> (≥ 2), or 0 when it has none that stands out.</summary>
    public static int Detect(ReadOnlySpan<double> y) => Search(y).Period;

    /// <summary>
    /// Every seasonal period of <paramref name="y"/>, shortest first: <see cref="Detect"/>'s, a shorter one inside it and longer
    /// ones beyond it (at most <see cref="MaxPeriods"/>; empty: no season).
    /// </summary>
    public static int[] DetectAll(ReadOnlySpan<double> y) => DetectSeasons(y).All;

    /// <summary><see cref="Detect"/>'s period and <see cref="DetectAll"/>'s periods from one search.</summary>
    public static (int Clearest, int[] All) DetectSeasons(ReadOnlySpan<double> y)
    {
        var (top, peaks, x) = Search(y);
        if (top == 0) return (0, []);
        int inner = peaks.Where(d => d < top && top % d == 0 && ProfileVariance(x, d) >= InnerShare * ProfileVariance(x, top))
            .DefaultIfEmpty(top).Min();
        var periods = inner < top ? new List<int> { inner, top } : [top];
        x = WithoutProfile(x, top);   // and the inner season with it
        while (periods.Count < MaxPeriods)
        {
            int last = periods[^1], next = Peak(x, 2 * last).Period;
            if (next == 0) break;
            var r = SeriesDiagnostics.Autocorrelations(x, Math.Min(x.Length - 1, next + last));
            int multiple = (int)Math.Round((double)next / last) * last;
            if (multiple < r.Length && r[multiple] >= r[next] - HarmonicTolerance) next = multiple;
            periods.Add(next);
            x = WithoutProfile(x, next);
        }
        return (top, [.. periods]);
    }

    /// <summary>
    /// The period, the clear peaks and the series they were found in: detrended or differenced, whichever peaks higher (the
    /// detrended series on a tie).
    /// </summary>
    private static (int Period, List<int> Peaks, double[] Series) Search(ReadOnlySpan<double> y)
    {
        if (y.Length < 12) return (0, [], []);
        var x = Detrended(y);
        var (period, peaks) = Peak(x);
        var d = Differenced(x);
        var (dPeriod, dPeaks) = Peak(d);
        if (period > 0 && (dPeriod == 0 || Height(x, period) >= Height(d, dPeriod))) return (period, peaks, x);
        return (dPeriod, dPeaks, d);
    }

    /// <summary>
    /// The period of the clearest autocorrelation peak of <paramref name="x"/> at lag ≥ <paramref name="minLag"/> (0 when none),
    /// and every clear peak.
    /// </summary>
    private static (int Period, List<int> Peaks) Peak(double[] x, int minLag = 2)
    {
        int maxLag = Math.Min(MaxPeriod, x.Length / 3);
        var peaks = new List<int>();
        if (maxLag < Math.Max(3, minLag)) return (0, peaks);
        var r = SeriesDiagnostics.Autocorrelations(x, maxLag + 1);
        double band = 2 / Math.Sqrt(x.Length);
        for (int k = minLag; k <= maxLag; k++)
        {
            if (!(r[k] >= r[k - 1] && r[k] >= r[k + 1] && r[k] > band && r[k] > MinPeak)) continue;
            double trough = double.PositiveInfinity;
            for (int j = Math.Max(1, k / 2); j < k; j++) trough = Math.Min(trough, r[j]);
            if (r[k] - trough >= MinProminence) peaks.Add(k);
        }
        if (peaks.Count == 0) return (0, peaks);
        int top = peaks.MaxBy(k => r[k]);
        // A season of length d also peaks at 2d, 3d, ...: prefer the smallest divisor d of the top lag whose every
        // multiple up to it peaks nearly as high (a pattern of 12 with a quarterly shape peaks at 3, 6 and 9 too, lower).
        foreach (int d in peaks)
        {
            if (d >= top || top % d != 0) continue;
            bool harmonic = true;
            for (int k = d; k <= top; k += d) harmonic &= r[k] >= r[top] - HarmonicTolerance;
            if (harmonic) return (d, peaks);
        }
        return (top, peaks);
    }

    /// <summary>r(<paramref name="lag"/>) of <paramref name="x"/>.</summary>
    private static double Height(double[] x, int lag) => SeriesDiagnostics.Autocorrelations(x, lag)[lag];

    /// <summary>The variance of the mean profile of <paramref name="x"/> over the phases of <paramref name="period"/>.</summary>
    private static double ProfileVariance(double[] x, int period) =>
        SeriesDiagnostics.Moments(SeriesDiagnostics.PhaseMeans(x, period)).Variance;

    /// <summary>y minus its least-squares line.</summary>
    private static double[] Detrended(ReadOnlySpan<double> y)
    {
        var (mean, slope) = SeriesDiagnostics.LinearTrend(y);
        double tMean = (y.Length - 1) / 2.0;
        var x = new double[y.Length];
        for (int t = 0; t < y.Length; t++) x[t] = y[t] - mean - slope * (t - tMean);
        return x;
    }

    /// <summary>x minus the mean of its values at the same phase of <paramref name="period"/>.</summary>
    private static double[] WithoutProfile(double[] x, int period)
    {
        var means = SeriesDiagnostics.PhaseMeans(x, period);
        var result = new double[x.Length];
        for (int t = 0; t < x.Length; t++) result[t] = x[t] - means[t % period];
        return result;
    }

    private static double[] Differenced(double[] x)
    {
        if (x.Length < 2) return [];
        var d = new double[x.Length - 1];
        for (int t = 1; t < x.Length; t++) d[t - 1] = x[t] - x[t - 1];
        return d;
    }
}
