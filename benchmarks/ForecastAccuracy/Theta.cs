using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>
/// The Theta method as R forecast's <c>thetaf</c> computes it (Hyndman &amp; Billah 2003), for comparisons on the panel:
/// the library's classical seasonal adjustment at lag m (<see cref="SeasonalAdjustment"/>: thetaf's seasonality test and
/// multiplicative indices; additive ones for a series with a value ≤ 0, where thetaf has none), then
/// <see cref="ThetaMethod"/> on the adjusted series, and the season multiplied back.
/// </summary>
internal static class Theta
{
    public static double[] Forecast(ReadOnlySpan<double> y, int m, int horizon)
    {
        int n = y.Length;
        var season = SeasonalAdjustment.Fit(y, m);
        var x = new double[n];
        for (int t = 0; t < n; t++) x[t] = season.Adjust(y[t], t);
        var theta = ThetaMethod.Fit(x);
        var f = new double[horizon];
        for (int h = 1; h <= horizon; h++) f[h - 1] = season.Restore(theta.Forecast(h), n + h - 1);
        return f;
    }
}
