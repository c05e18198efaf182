namespace Microsoft.ML.Lstm;

/// <summary>
/// Point-forecast accuracy on a holdout, as defined by Hyndman &amp; Koehler (2006) and used by R's
/// <c>forecast::accuracy</c>; plus the empirical coverage of prediction intervals.
/// </summary>
public static class ForecastMetrics
{
    /// <summary>Mean absolute error, mean |a − f|.</summary>
    /// <exception cref="ArgumentException">The spans are empty, differ in length, or hold a non-finite value.</exception>
    public static double Mae(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        Check(actual, forecast);
        double s = 0;
        for (int i = 0; i < actual.Length; i++) s += Math.Abs(actual[i] - forecast[i]);
        return s / actual.Length;
    }

    /// <summary>Root mean squared error, √(mean (a − f)²).</summary>
    /// <exception cref="ArgumentException">As for <see cref="Mae"/>.</exception>
    public static double Rmse(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        Check(actual, forecast);
        double s = 0;
        for (int i = 0; i < actual.Length; i++) s += (actual[i] - forecast[i]) * (actual[i] - forecast[i]);
        return Math.Sqrt(s / actual.Length);
    }

    /// <summary>Mean absolute percentage error in percent, 100 · mean |a − f| / |a|.</summary>
    /// <exception cref="ArgumentException">As for <see cref="Mae"/>, or an actual value is 0 (MAPE is undefined there).</exception>
    public static double Mape(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        Check(actual, forecast);
        double s = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            if (actual[i] == 0) throw new ArgumentException($"actual[{i}] is 0: MAPE is undefined; use sMAPE or MASE.", nameof(actual));
            s += Math.Abs((actual[i] - forecast[i]) / actual[i]);
        }
        return 100 * s / actual.Length;
    }

    /// <summary>
    /// Symmetric MAPE in percent, 100 · mean 2|a − f| / (|a| + |f|), in [0, 200]; a term with a = f = 0
    /// counts as 0.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="Mae"/>.</exception>
    public static double Smape(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        Check(actual, forecast);
        double s = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double den = Math.Abs(actual[i]) + Math.Abs(forecast[i]);
            if (den > 0) s += 2 * Math.Abs(actual[i] - forecast[i]) / den;
        }
        return 100 * s / actual.Length;
    }

    /// <summary>
    /// Mean absolute scaled error: <see cref="Mae"/> divided by the in-sample MAE of the seasonal naive
    /// forecast, mean over t ≥ m of |x_t − x_{t−m}| on <paramref name="inSample"/> (m = 1: naive).
    /// Below 1 the forecast beats the in-sample seasonal naive method.
    /// </summary>
    /// <param name="actual">The holdout.</param>
    /// <param name="forecast">The forecast of the holdout.</param>
    /// <param name="inSample">The training series the forecast was made from.</param>
    /// <param name="seasonalPeriod">m ≥ 1.</param>
    /// <exception cref="ArgumentException">As for <see cref="Mae"/>; the training series has at most m values, a
    /// non-finite value, or is constant at lag m (the scale is 0).</exception>
    public static double Mase(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast, ReadOnlySpan<double> inSample, int seasonalPeriod)
    {
        if (seasonalPeriod < 1)
            throw new ArgumentOutOfRangeException(nameof(seasonalPeriod), seasonalPeriod,
                "The seasonal period must be ≥ 1 (1 = naive scaling).");
        if (inSample.Length <= seasonalPeriod)
            throw new ArgumentException(
                $"The in-sample series has {inSample.Length} values; MASE with period {seasonalPeriod} needs more than {seasonalPeriod}.",
                nameof(inSample));
        double s = 0;
        for (int t = seasonalPeriod; t < inSample.Length; t++)
        {
            double d = inSample[t] - inSample[t - seasonalPeriod];
            if (!double.IsFinite(d))
                throw new ArgumentException($"The in-sample series holds a non-finite value near index {t}.", nameof(inSample));
            s += Math.Abs(d);
        }
        double scale = s / (inSample.Length - seasonalPeriod);
        if (scale == 0)
            throw new ArgumentException($"The in-sample series is constant at lag {seasonalPeriod}, so the MASE scale is 0.",
                nameof(inSample));
        return Mae(actual, forecast) / scale;
    }

    /// <summary>Share of actual values inside [lower, upper] (bounds included), in [0, 1].</summary>
    /// <exception cref="ArgumentException">As for <see cref="Mae"/>, for both bounds.</exception>
    public static double Coverage(ReadOnlySpan<double> actual, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper)
    {
        Check(actual, lower);
        Check(actual, upper);
        int inside = 0;
        for (int i = 0; i < actual.Length; i++)
            if (actual[i] >= lower[i] && actual[i] <= upper[i]) inside++;
        return (double)inside / actual.Length;
    }

    private static void Check(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        if (actual.IsEmpty) throw new ArgumentException("The actual values are empty.", nameof(actual));
        if (forecast.Length != actual.Length)
            throw new ArgumentException($"{actual.Length} actual values but {forecast.Length} forecasts.", nameof(forecast));
        for (int i = 0; i < actual.Length; i++)
        {
            if (!double.IsFinite(actual[i])) throw new ArgumentException($"actual[{i}] is not finite ({actual[i]}).", nameof(actual));
            if (!double.IsFinite(forecast[i]))
                throw new ArgumentException($"forecast[{i}] is not finite ({forecast[i]}).", nameof(forecast));
        }
    }
}
