namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Whether forecasting from the value one season back beats forecasting from the last value on the end of the training
/// rows: the mean absolute error of the seasonal naive and the naive forecasts, each with its drift, 1 … H steps ahead,
/// from every origin of the last stretch of the series (four horizons or seasons long, whichever is longer, as far as
/// the series allows). The forecaster differences seasonally (<see cref="LstmForecastingOptions.SeasonalDifferencing"/>
/// Auto) only when the season is evident (strong, or a clear autocorrelation peak) and this check passes, so a period
/// that is real but does not help at this horizon (an annual cycle under a two-week horizon of a smooth daily series)
/// falls back to the last value.
/// </summary>
internal static class BaselineCheck
{
    public static bool SeasonalBeatsNaive(ReadOnlySpan<double> x, int period, int horizon)
    {
        int n = x.Length;
        int stretch = Math.Min(n - horizon - period, 4 * Math.Max(horizon, period));
        if (period < 2 || stretch < 1) return false;
        int first = n - horizon - stretch;
        // Drifts from all the rows: the stretch may leave too few rows before it to estimate a seasonal drift.
        double seasonalDrift = MeanChange(x, period), drift = MeanChange(x, 1);
        double seasonal = 0, naive = 0;
        for (int o = first; o < n - horizon; o++)
        {
            for (int h = 1; h <= horizon; h++)
            {
                double actual = x[o + h];
                int seasons = (h + period - 1) / period;
                seasonal += Math.Abs(actual - x[o + h - period * seasons] - seasons * seasonalDrift);
                naive += Math.Abs(actual - x[o] - h * drift);
            }
        }
        return seasonal < naive;
    }

    /// <summary>Mean of x[t] − x[t − lag] (0 when there is none).</summary>
    private static double MeanChange(ReadOnlySpan<double> x, int lag)
    {
        if (x.Length <= lag) return 0;
        double sum = 0;
        for (int t = lag; t < x.Length; t++) sum += x[t] - x[t - lag];
        return sum / (x.Length - lag);
    }
}
