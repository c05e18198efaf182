namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// The statistical forecast a forecaster combines its LSTM with (<see cref="LstmForecastingOptions.ExponentialSmoothingWeight"/>):
/// damped-trend exponential smoothing (<see cref="DampedTrend"/>) on one series in model space (after the log or power
/// transform), seasonally adjusted by classical decomposition at the seasonal period (<see cref="SeasonalAdjustment"/>).
/// It keeps the fitted parameters; the level and trend belong to an engine's state, started on the first values of the
/// history the engine runs over and updated with every new value, so streaming costs O(1) per value.
/// </summary>
internal sealed class SmoothingBaseline
{
    internal SmoothingBaseline(SeasonalAdjustment season, DampedTrend parameters)
    {
        Season = season;
        Parameters = parameters with { Level = 0, Trend = 0 };
    }

    /// <summary>The seasonal indices (none when the series is not seasonal at the period).</summary>
    public SeasonalAdjustment Season { get; }

    /// <summary>α, β and φ (its level and trend are not used).</summary>
    public DampedTrend Parameters { get; }

    /// <summary>Fits the seasonal indices at <paramref name="period"/> and the smoothing parameters on <paramref name="x"/>.</summary>
    public static SmoothingBaseline Fit(ReadOnlySpan<double> x, int period)
    {
        var season = SeasonalAdjustment.Fit(x, period);
        return new SmoothingBaseline(season, DampedTrend.Fit(Adjusted(season, x)));
    }

    /// <summary>The state before the first value of <paramref name="x"/> (at least one value), started on its first values.</summary>
    public DampedTrend Start(ReadOnlySpan<double> x) => Parameters.StartedOn(Adjusted(Season, x[..Math.Min(x.Length, 10)]));

    /// <summary>The state after running over <paramref name="x"/> (at least one value) from <see cref="Start"/>.</summary>
    public DampedTrend Run(ReadOnlySpan<double> x)
    {
        var state = Start(x);
        for (int t = 0; t < x.Length; t++) Update(ref state, t, x[t]);
        return state;
    }

    /// <summary>Takes in value <paramref name="x"/> at time <paramref name="t"/> (0 = the history's first value).</summary>
    public void Update(ref DampedTrend state, long t, double x) => state.Update(Season.Adjust(x, t));

    /// <summary>The forecast h ≥ 1 steps after <paramref name="count"/> values, in model space.</summary>
    public double Forecast(in DampedTrend state, long count, int h) => Season.Restore(state.Forecast(h), count + h - 1);

    private static double[] Adjusted(SeasonalAdjustment season, ReadOnlySpan<double> x)
    {
        var adjusted = new double[x.Length];
        for (int t = 0; t < x.Length; t++) adjusted[t] = season.Adjust(x[t], t);
        return adjusted;
    }
}
