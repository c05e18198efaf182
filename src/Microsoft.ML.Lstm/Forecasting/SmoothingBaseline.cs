namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// The statistical forecast a forecaster combines its LSTM with (<see cref="LstmForecastingOptions.ExponentialSmoothingWeight"/>):
/// the equal-weight average of damped-trend exponential smoothing (<see cref="DampedTrend"/>) and an autoregression on the
/// differences (<see cref="Forecasting.Autoregression"/>), both on one series in model space (after the log or power
/// transform), seasonally adjusted by classical decomposition at each seasonal period in turn, shortest first
/// (<see cref="SeasonalAdjustment"/>; a longer season is estimated on the series already adjusted for the shorter ones).
/// It keeps the fitted parameters; the level and trend and the last adjusted values belong to an engine's state
/// (<see cref="BaselineState"/>), started on the first values of the history the engine runs over and updated with every
/// new value, so streaming costs O(1) per value. Models saved before the autoregression existed have none and forecast
/// with the smoothing alone, as they were trained.
/// </summary>
internal sealed class SmoothingBaseline
{
    internal SmoothingBaseline(IReadOnlyList<SeasonalAdjustment> seasons, DampedTrend parameters, Autoregression? autoregression)
    {
        _seasons = [.. seasons.Where(s => s.Period > 0)];
        Parameters = parameters with { Level = 0, Trend = 0 };
        Autoregression = autoregression;
    }

    /// <summary>The autoregression averaged with the smoothing (null: the smoothing alone).</summary>
    public Autoregression? Autoregression { get; }

    /// <summary>How many of the last adjusted values the state carries for the autoregression.</summary>
    public int Memory => Autoregression?.Memory ?? 0;

    private readonly SeasonalAdjustment[] _seasons;

    /// <summary>Below this many cycles in the fitted values the network's seasonal lag skips thetaf's test.</summary>
    private const int FewCycles = 4;

    /// <summary>The seasonal adjustments, shortest period first (only those where the series is seasonal).</summary>
    public IReadOnlyList<SeasonalAdjustment> Seasons => _seasons;

    /// <summary>α, β and φ (its level and trend are not used).</summary>
    public DampedTrend Parameters { get; }

    /// <summary>
    /// Fits the seasonal indices at <paramref name="periods"/> (below 2: none) and the smoothing parameters on
    /// <paramref name="x"/>. thetaf's test has little power on fewer than <see cref="FewCycles"/> cycles (three years of a
    /// trending monthly series rarely pass it): there the network's seasonal lag <paramref name="lag"/> (1 without seasonal
    /// differencing), which <see cref="SeriesTransform"/> took on stronger evidence, is adjusted for without it.
    /// </summary>
    public static SmoothingBaseline Fit(ReadOnlySpan<double> x, IEnumerable<int> periods, int lag)
    {
        var (seasons, adjusted) = FitSeasons(x, periods, lag);
        return new SmoothingBaseline(seasons, DampedTrend.Fit(adjusted), Autoregression.Fit(adjusted));
    }

    /// <summary>
    /// The seasonal adjustments of <see cref="Fit"/>, shortest period first (each fitted on <paramref name="x"/> already
    /// adjusted for the shorter ones), and <paramref name="x"/> adjusted for all of them.
    /// </summary>
    internal static (List<SeasonalAdjustment> Seasons, double[] Adjusted) FitSeasons(ReadOnlySpan<double> x, IEnumerable<int> periods,
        int lag)
    {
        var adjusted = x.ToArray();
        var seasons = new List<SeasonalAdjustment>();
        foreach (int m in periods.Where(m => m >= 2).Order())
        {
            var season = SeasonalAdjustment.Fit(adjusted, m, tested: m != lag || adjusted.Length >= FewCycles * m);
            seasons.Add(season);
            for (int t = 0; t < adjusted.Length; t++) adjusted[t] = season.Adjust(adjusted[t], t);
        }
        return (seasons, adjusted);
    }

    /// <summary>The state before the first value of <paramref name="x"/> (at least one value), started on its first values.</summary>
    public BaselineState Start(ReadOnlySpan<double> x)
    {
        var first = new double[Math.Min(x.Length, 10)];
        for (int t = 0; t < first.Length; t++) first[t] = Adjust(x[t], t);
        var recent = new double[Memory];
        recent.AsSpan().Fill(first[0]);
        return new BaselineState(Parameters.StartedOn(first), recent);
    }

    /// <summary>The state after running over <paramref name="x"/> (at least one value) from <see cref="Start"/>.</summary>
    public BaselineState Run(ReadOnlySpan<double> x)
    {
        var state = Start(x);
        for (int t = 0; t < x.Length; t++) Update(state, t, x[t]);
        return state;
    }

    /// <summary>Takes in value <paramref name="x"/> at time <paramref name="t"/> (0 = the history's first value).</summary>
    public void Update(BaselineState state, long t, double x)
    {
        double a = Adjust(x, t);
        state.Smoothing.Update(a);
        var recent = state.Recent;
        if (recent.Length == 0) return;
        Array.Copy(recent, 1, recent, 0, recent.Length - 1);
        recent[^1] = a;
    }

    /// <summary>
    /// The forecasts 1 … <paramref name="forecasts"/>.Length steps after <paramref name="count"/> values, in model space.
    /// </summary>
    public void Forecast(BaselineState state, long count, Span<double> forecasts)
    {
        Autoregression?.Forecast(state.Recent, forecasts);
        for (int h = 1; h <= forecasts.Length; h++)
        {
            double smoothed = state.Smoothing.Forecast(h);
            double value = Autoregression is null ? smoothed : 0.5 * (smoothed + forecasts[h - 1]);
            for (int i = _seasons.Length - 1; i >= 0; i--) value = _seasons[i].Restore(value, count + h - 1);
            forecasts[h - 1] = value;
        }
    }

    /// <summary>The fitted components, for the log.</summary>
    public override string ToString()
    {
        string seasons = Seasons.Count == 0 ? "no seasonal adjustment"
            : "seasonal adjustment at " + string.Join(" + ", Seasons.Select(s => $"{s.Period} ({(s.Multiplicative ? "×" : "+")})"));
        string ar = Autoregression is null ? "" : $"; mean with {Autoregression}";
        return $"{seasons}; damped trend α {Parameters.Alpha:G3}, β {Parameters.Beta:G3}, φ {Parameters.Phi:G3}{ar}";
    }

    private double Adjust(double x, long t)
    {
        foreach (var season in _seasons) x = season.Adjust(x, t);   // an array: no enumerator allocated per value
        return x;
    }
}
