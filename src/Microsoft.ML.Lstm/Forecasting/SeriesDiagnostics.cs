namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// The tests behind the <see cref="AutoSwitch.Auto"/> preprocessing choices. Both look at the training
/// series only and use fixed thresholds from the literature, so no choice is tuned on a test period.
/// </summary>
internal static class SeriesDiagnostics
{
    /// <summary>Seasonal strength above which seasonal differencing is used (the threshold of R's <c>nsdiffs</c>).</summary>
    public const double SeasonalStrengthThreshold = 0.64;

    /// <summary>Smallest ratio of the largest to the smallest block mean for which a log transform is considered.</summary>
    public const double LogLevelRatio = 1.5;

    /// <summary>Smallest slope of log(spread) on log(level) for which a log transform is used (1 = spread ∝ level).</summary>
    public const double LogSlopeThreshold = 0.5;

    /// <summary>
    /// Seasonal strength F_s = max(0, 1 − Var(R) / Var(S + R)) of a classical additive decomposition
    /// (centred moving-average trend, mean seasonal profile S, remainder R), as in Wang, Smith &amp; Hyndman
    /// (2006). 0 when the series has fewer than three periods.
    /// </summary>
    /// <param name="x">The series.</param>
    /// <param name="period">m ≥ 2.</param>
    public static double SeasonalStrength(ReadOnlySpan<double> x, int period)
    {
        if (period < 2) throw new ArgumentOutOfRangeException(nameof(period), period, "The seasonal period must be ≥ 2.");
        int n = x.Length, half = period / 2;
        if (n < 3 * period) return 0;
        int first = half, last = n - half;                  // trend defined on [first, last)
        var detrended = new double[last - first];
        for (int t = first; t < last; t++) detrended[t - first] = x[t] - CentredMovingAverage(x, t, period);
        var profile = PhaseMeans(detrended, period, first);
        double centre = profile.Average();
        var remainder = new double[detrended.Length];
        for (int i = 0; i < detrended.Length; i++) remainder[i] = detrended[i] - (profile[(first + i) % period] - centre);
        double total = Variance(detrended);
        return total == 0 ? 0 : Math.Max(0, 1 - Variance(remainder) / total);
    }

    /// <summary>
    /// The mean of <paramref name="x"/> at each phase of <paramref name="period"/> (the mean seasonal profile), x[0]
    /// being at phase <paramref name="firstPhase"/>; 0 for a phase with no value.
    /// </summary>
    public static double[] PhaseMeans(ReadOnlySpan<double> x, int period, int firstPhase = 0)
    {
        var means = new double[period];
        var counts = new int[period];
        for (int i = 0; i < x.Length; i++) { means[(firstPhase + i) % period] += x[i]; counts[(firstPhase + i) % period]++; }
        for (int p = 0; p < period; p++) means[p] /= Math.Max(1, counts[p]);
        return means;
    }

    /// <summary>
    /// True when a log transform suits the series: it is positive, its level changes by at least
    /// <see cref="LogLevelRatio"/> between blocks, and the spread of its changes grows with the level
    /// (slope of log spread on log level ≥ <see cref="LogSlopeThreshold"/>, in the spirit of Guerrero's
    /// (1993) choice of the Box–Cox λ from blocks of one period).
    /// </summary>
    /// <param name="y">The series.</param>
    /// <param name="period">Block length: the seasonal period when ≥ 2, else 12.</param>
    public static bool SuggestsLogTransform(ReadOnlySpan<double> y, int period)
    {
        foreach (double v in y) if (!(v > 0)) return false;
        int block = period >= 2 ? period : 12, blocks = y.Length / block;
        if (blocks < 4 || block < 3) return false;
        var level = new double[blocks];
        var spread = new double[blocks];
        for (int k = 0; k < blocks; k++)
        {
            var b = y.Slice(k * block, block);
            var diffs = new double[block - 1];
            for (int i = 1; i < block; i++) diffs[i - 1] = b[i] - b[i - 1];
            double sd = Math.Sqrt(Variance(diffs));
            if (sd == 0) return false;
            double mean = 0;
            foreach (double v in b) mean += v;
            level[k] = Math.Log(mean / block);
            spread[k] = Math.Log(sd);
        }
        if (Math.Exp(level.Max() - level.Min()) < LogLevelRatio) return false;
        double ml = level.Average(), ms = spread.Average(), sxy = 0, sxx = 0;
        for (int k = 0; k < blocks; k++) { sxy += (level[k] - ml) * (spread[k] - ms); sxx += (level[k] - ml) * (level[k] - ml); }
        return sxy / sxx >= LogSlopeThreshold;
    }

    /// <summary>
    /// Smallest Box–Cox λ considered for a series with zeros: below it the transform turns the gap between 0
    /// and the smallest positive values into outliers (at λ = 0 it is infinite).
    /// </summary>
    public const double MinPowerLambdaWithZeros = 0.25;

    /// <summary>
    /// The Box–Cox λ of the power transform on <see cref="AutoSwitch.Auto"/>, or 1 (none). For a non-negative
    /// series whose level changes by at least <see cref="LogLevelRatio"/> between blocks (over a narrower range
    /// every power is nearly linear and the choice of λ is noise): Guerrero's λ in [0, 1], from
    /// <see cref="MinPowerLambdaWithZeros"/> when the series has zeros (R's <c>forecast::BoxCox.lambda</c> bounds
    /// λ below by 0 for such series). Series with negative values get 1.
    /// </summary>
    /// <param name="y">The training series.</param>
    /// <param name="period">Block length: the seasonal period when ≥ 2, else 12.</param>
    public static double SuggestedPowerLambda(ReadOnlySpan<double> y, int period)
    {
        bool zeros = false;
        foreach (double v in y)
        {
            if (!(v >= 0)) return 1;
            zeros |= v == 0;
        }
        int block = period >= 2 ? period : 12, blocks = y.Length / block;
        if (blocks < 4) return 1;
        double lowest = double.PositiveInfinity, highest = 0;
        for (int k = 0; k < blocks; k++)
        {
            double mean = 0;
            foreach (double v in y.Slice(y.Length - (k + 1) * block, block)) mean += v / block;
            (lowest, highest) = (Math.Min(lowest, mean), Math.Max(highest, mean));
        }
        if (!(highest >= LogLevelRatio * lowest) || highest == 0) return 1;
        return GuerreroLambda(y, block, zeros ? MinPowerLambdaWithZeros : 0, 1);
    }

    /// <summary>
    /// Guerrero's (1993) Box–Cox λ, as R's <c>forecast::BoxCox.lambda</c> computes it: the last ⌊N / m⌋ blocks of
    /// m values give means μ_k and standard deviations σ_k; λ minimizes the coefficient of variation of
    /// σ_k / μ_k^(1 − λ) over [<paramref name="lower"/>, <paramref name="upper"/>] (golden-section search), i.e.
    /// makes the spread as independent of the level as a power can. Blocks with mean 0 are skipped.
    /// </summary>
    /// <param name="y">The series (non-negative).</param>
    /// <param name="block">Block length m ≥ 2 (the seasonal period; R uses 2 for non-seasonal data).</param>
    /// <param name="lower">Smallest λ searched.</param>
    /// <param name="upper">Largest λ searched.</param>
    /// <returns>λ; <paramref name="upper"/> when fewer than two blocks have a positive mean.</returns>
    public static double GuerreroLambda(ReadOnlySpan<double> y, int block, double lower, double upper)
    {
        if (block < 2) throw new ArgumentOutOfRangeException(nameof(block), block, "The block length must be ≥ 2.");
        if (!(lower <= upper)) throw new ArgumentException($"The search interval [{lower}, {upper}] is empty.", nameof(lower));
        int blocks = y.Length / block, skip = y.Length - blocks * block;
        var means = new List<double>();
        var sds = new List<double>();
        for (int k = 0; k < blocks; k++)
        {
            var b = y.Slice(skip + k * block, block);
            var (mean, variance) = Moments(b);
            if (!(mean > 0)) continue;
            means.Add(mean);
            sds.Add(Math.Sqrt(variance * block / (block - 1)));
        }
        if (means.Count < 2 || sds.All(sd => sd == 0)) return upper;
        double Cv(double lambda)
        {
            var ratios = new double[means.Count];
            for (int k = 0; k < ratios.Length; k++) ratios[k] = sds[k] / Math.Pow(means[k], 1 - lambda);
            var (mean, variance) = Moments(ratios);
            return Math.Sqrt(variance * ratios.Length / (ratios.Length - 1)) / mean;
        }
        double g = (Math.Sqrt(5) - 1) / 2, a = lower, b2 = upper;
        double c = b2 - g * (b2 - a), d = a + g * (b2 - a), fc = Cv(c), fd = Cv(d);
        while (b2 - a > 1e-5)
        {
            if (fc < fd) { (b2, d, fd) = (d, c, fc); c = b2 - g * (b2 - a); fc = Cv(c); }
            else { (a, c, fc) = (c, d, fd); d = a + g * (b2 - a); fd = Cv(d); }
        }
        return (a + b2) / 2;
    }

    /// <summary>
    /// The centred moving average of order <paramref name="period"/> at <paramref name="t"/> (2×m for even m: the two
    /// end values count half), the trend of a classical decomposition; needs period/2 values on either side.
    /// </summary>
    internal static double CentredMovingAverage(ReadOnlySpan<double> x, int t, int period)
    {
        int half = period / 2;
        double s = 0;
        if (period % 2 == 0)
        {
            s = 0.5 * (x[t - half] + x[t + half]);
            for (int k = t - half + 1; k < t + half; k++) s += x[k];
        }
        else for (int k = t - half; k <= t + half; k++) s += x[k];
        return s / period;
    }

    /// <summary>The sample autocorrelations r(1) … r(<paramref name="maxLag"/>) (index = lag; 0 for a constant series).</summary>
    internal static double[] Autocorrelations(ReadOnlySpan<double> x, int maxLag)
    {
        var r = new double[maxLag + 1];
        double mean = 0, c0 = 0;
        foreach (double v in x) mean += v;
        mean /= x.Length;
        foreach (double v in x) c0 += (v - mean) * (v - mean);
        if (!(c0 > 0)) return r;
        for (int k = 1; k <= maxLag && k < x.Length; k++)
        {
            double ck = 0;
            for (int t = k; t < x.Length; t++) ck += (x[t] - mean) * (x[t - k] - mean);
            r[k] = ck / c0;
        }
        return r;
    }

    /// <summary>The intercept at the mean time and the slope of the least-squares line through (t, y_t).</summary>
    internal static (double Mean, double Slope) LinearTrend(ReadOnlySpan<double> y)
    {
        int n = y.Length;
        double tMean = (n - 1) / 2.0, yMean = 0;
        foreach (double v in y) yMean += v;
        yMean /= n;
        double sty = 0, stt = 0;
        for (int t = 0; t < n; t++) { sty += (t - tMean) * (y[t] - yMean); stt += (t - tMean) * (t - tMean); }
        return (yMean, stt > 0 ? sty / stt : 0);
    }

    /// <summary>Mean and population variance.</summary>
    internal static (double Mean, double Variance) Moments(ReadOnlySpan<double> v)
    {
        double mean = 0, s = 0;
        foreach (double x in v) mean += x;
        mean /= v.Length;
        foreach (double x in v) s += (x - mean) * (x - mean);
        return (mean, s / v.Length);
    }

    private static double Variance(ReadOnlySpan<double> v) => Moments(v).Variance;
}
