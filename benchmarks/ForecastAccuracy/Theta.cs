using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>
/// The Theta method as R forecast's <c>thetaf</c> computes it (Hyndman &amp; Billah 2003), for the panel's combination
/// experiment: when the series is seasonal at lag m (its autocorrelation at m beyond the 90% band), divide by the
/// classical multiplicative seasonal indices; fit simple exponential smoothing (α and the initial level by least squares
/// on a grid); add half the slope of the least-squares line with thetaf's drift term; multiply the season back.
/// </summary>
internal static class Theta
{
    public static double[] Forecast(ReadOnlySpan<double> y, int m, int horizon)
    {
        int n = y.Length;
        var x = y.ToArray();
        double[]? season = m > 1 && n >= 2 * m && IsSeasonal(x, m) && x.All(v => v > 0) ? SeasonalIndices(x, m) : null;
        if (season is not null) for (int t = 0; t < n; t++) x[t] /= season[t % m];
        var (alpha, level) = Ses(x);
        double slope = SeriesDiagnostics.LinearTrend(x).Slope / 2;
        var f = new double[horizon];
        for (int h = 0; h < horizon; h++)
        {
            f[h] = level + slope * (h + (1 - Math.Pow(1 - alpha, n)) / alpha);
            if (season is not null) f[h] *= season[(n + h) % m];
        }
        return f;
    }

    /// <summary>thetaf's test: |r_m| &gt; 1.645·√((1 + 2·Σ_{k&lt;m} r_k²) / n).</summary>
    private static bool IsSeasonal(double[] x, int m)
    {
        var r = SeriesDiagnostics.Autocorrelations(x, m);
        double sum = 0;
        for (int k = 1; k < m; k++) sum += r[k] * r[k];
        return Math.Abs(r[m]) > 1.645 * Math.Sqrt((1 + 2 * sum) / x.Length);
    }

    /// <summary>Classical multiplicative decomposition: mean ratio to the centred moving average per season, normalised.</summary>
    private static double[] SeasonalIndices(double[] x, int m)
    {
        int n = x.Length;
        var sums = new double[m];
        var counts = new int[m];
        int half = m / 2;
        for (int t = half; t < n - half; t++)
        {
            double trend = SeriesDiagnostics.CentredMovingAverage(x, t, m);
            sums[t % m] += x[t] / trend;
            counts[t % m]++;
        }
        var idx = sums.Select((s, i) => s / Math.Max(1, counts[i])).ToArray();
        double mean = idx.Average();
        return idx.Select(v => v / mean).ToArray();
    }

    /// <summary>SES: α on a grid of 0.01 … 0.99 and the initial level at its least-squares value for each α.</summary>
    private static (double Alpha, double Level) Ses(double[] x)
    {
        double bestSse = double.PositiveInfinity, bestAlpha = 0.5, bestLevel = x[^1];
        for (int a = 1; a <= 99; a++)
        {
            double alpha = a / 100.0;
            // One-step errors are linear in the initial level l0: e_t = c_t − w_t·l0 with w_t = (1 − α)^t.
            double sumWc = 0, sumWw = 0, w = 1, levelFromZero = 0;
            for (int t = 0; t < x.Length; t++)
            {
                sumWc += w * (x[t] - levelFromZero);
                sumWw += w * w;
                levelFromZero += alpha * (x[t] - levelFromZero);
                w *= 1 - alpha;
            }
            double l0 = sumWc / sumWw, sse = 0, level = l0;
            for (int t = 0; t < x.Length; t++)
            {
                double e = x[t] - level;
                sse += e * e;
                level += alpha * e;
            }
            if (sse < bestSse) (bestSse, bestAlpha, bestLevel) = (sse, alpha, level);
        }
        return (bestAlpha, bestLevel);
    }
}
