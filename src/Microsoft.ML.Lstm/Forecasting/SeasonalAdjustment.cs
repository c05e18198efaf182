namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Classical seasonal adjustment as R forecast's <c>thetaf</c> does it: when the series is seasonal at lag m (its
/// autocorrelation at m beyond the 90% band), the mean ratio of each season's values to the centred moving average,
/// normalised to mean 1, divides the series before smoothing and multiplies the forecasts back. A series with a value
/// ≤ 0 gets additive indices (mean difference, normalised to mean 0) instead. Index i belongs to the times t with
/// t mod m = i, counted from the series' first value, so a streaming model keeps using them as the series grows.
/// </summary>
internal sealed class SeasonalAdjustment
{
    private readonly double[] _indices;

    private SeasonalAdjustment(double[] indices, bool multiplicative)
    {
        _indices = indices;
        Multiplicative = multiplicative;
    }

    /// <summary>No adjustment.</summary>
    public static SeasonalAdjustment None { get; } = new([], multiplicative: false);

    /// <summary>m, or 0 when the series is not adjusted.</summary>
    public int Period => _indices.Length;

    /// <summary>Whether the indices divide (else they are subtracted).</summary>
    public bool Multiplicative { get; }

    /// <summary>The indices, one per season (empty when not adjusted).</summary>
    public IReadOnlyList<double> Indices => _indices;

    /// <summary>
    /// Fits the indices of period <paramref name="m"/> when the series is long enough (2m) and, when <paramref name="tested"/>,
    /// seasonal at m by thetaf's test.
    /// </summary>
    public static SeasonalAdjustment Fit(ReadOnlySpan<double> y, int m, bool tested = true)
    {
        int n = y.Length;
        if (m < 2 || n < 2 * m || (tested && !IsSeasonal(y, m))) return None;
        bool multiplicative = true;
        foreach (double v in y) multiplicative &= v > 0;
        var sums = new double[m];
        var counts = new int[m];
        for (int t = m / 2; t < n - m / 2; t++)
        {
            double trend = SeriesDiagnostics.CentredMovingAverage(y, t, m);
            sums[t % m] += multiplicative ? y[t] / trend : y[t] - trend;
            counts[t % m]++;
        }
        var indices = new double[m];
        for (int i = 0; i < m; i++) indices[i] = sums[i] / Math.Max(1, counts[i]);
        double mean = indices.Average();
        for (int i = 0; i < m; i++) indices[i] = multiplicative ? indices[i] / mean : indices[i] - mean;
        return new SeasonalAdjustment(indices, multiplicative);
    }

    /// <summary>Rebuilds a stored adjustment.</summary>
    /// <exception cref="ArgumentException">There is one index, an index is not finite, or a multiplicative one is not positive.</exception>
    public static SeasonalAdjustment FromIndices(double[] indices, bool multiplicative, string paramName)
    {
        if (indices.Length == 1) throw new ArgumentException("A season needs at least two indices.", paramName);
        foreach (double v in indices)
            if (!double.IsFinite(v) || (multiplicative && v <= 0))
                throw new ArgumentException($"Seasonal index {v} is not valid.", paramName);
        return indices.Length == 0 ? None : new SeasonalAdjustment((double[])indices.Clone(), multiplicative);
    }

    /// <summary>The value at time t without its season.</summary>
    public double Adjust(double value, long t) => Period == 0 ? value
        : Multiplicative ? value / _indices[t % Period] : value - _indices[t % Period];

    /// <summary>An adjusted value at time t with its season put back.</summary>
    public double Restore(double value, long t) => Period == 0 ? value
        : Multiplicative ? value * _indices[t % Period] : value + _indices[t % Period];

    /// <summary>thetaf's test: |r_m| &gt; 1.645·√((1 + 2·Σ_{k&lt;m} r_k²) / n).</summary>
    private static bool IsSeasonal(ReadOnlySpan<double> x, int m)
    {
        var r = SeriesDiagnostics.Autocorrelations(x, m);
        double sum = 0;
        for (int k = 1; k < m; k++) sum += r[k] * r[k];
        return Math.Abs(r[m]) > 1.645 * Math.Sqrt((1 + 2 * sum) / x.Length);
    }
}
