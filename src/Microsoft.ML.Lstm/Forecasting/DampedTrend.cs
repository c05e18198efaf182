namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Additive damped-trend exponential smoothing, ETS(A,Ad,N) (Gardner &amp; McKenzie 1985), in error-correction form:
/// with f = ℓ + φb and e = y − f, the level becomes f + αe and the trend φb + αβe; h steps ahead it forecasts
/// ℓ + (φ + … + φʰ)·b. <see cref="Fit"/> picks α, β, φ on a grid by the in-sample one-step squared error, from a
/// starting level and trend on the least-squares line through the first ten values. The state is two numbers, so a
/// streaming model updates it in O(1) per value.
/// </summary>
internal struct DampedTrend
{
    private static readonly double[] Alphas = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.98];
    private static readonly double[] Betas = [0.01, 0.05, 0.1, 0.2, 0.3, 0.5];
    private static readonly double[] Phis = [0.8, 0.85, 0.9, 0.94, 0.98];

    /// <summary>Smoothing parameters α, β (share of α's correction that reaches the trend) and damping φ.</summary>
    public double Alpha, Beta, Phi;

    /// <summary>The state after the last value: level ℓ and trend b.</summary>
    public double Level, Trend;

    /// <summary>Fits the parameters and runs the state over <paramref name="x"/> (at least one value).</summary>
    public static DampedTrend Fit(ReadOnlySpan<double> x)
    {
        var (level, trend) = Start(x);
        var best = new DampedTrend { Alpha = 0.5, Beta = 0.1, Phi = 0.9, Level = level, Trend = trend };
        double bestSse = double.PositiveInfinity;
        foreach (double alpha in Alphas)
            foreach (double beta in Betas)
                foreach (double phi in Phis)
                {
                    var m = new DampedTrend { Alpha = alpha, Beta = beta, Phi = phi, Level = level, Trend = trend };
                    double sse = 0;
                    for (int t = 0; t < x.Length && sse < bestSse; t++) sse += Square(m.Update(x[t]));
                    if (sse < bestSse) (bestSse, best) = (sse, m);
                }
        return best;
    }

    /// <summary>Takes in the next value; returns its one-step error.</summary>
    public double Update(double y)
    {
        double f = Level + Phi * Trend, e = y - f;
        Level = f + Alpha * e;
        Trend = Phi * Trend + Alpha * Beta * e;
        return e;
    }

    /// <summary>The forecast h ≥ 1 steps after the last value.</summary>
    public readonly double Forecast(int h)
    {
        double damping = 0, power = 1;
        for (int i = 1; i <= h; i++) damping += power *= Phi;
        return Level + damping * Trend;
    }

    /// <summary>These parameters with the state before the first value of <paramref name="x"/> (see <see cref="Start"/>).</summary>
    public readonly DampedTrend StartedOn(ReadOnlySpan<double> x)
    {
        var (level, trend) = Start(x);
        return this with { Level = level, Trend = trend };
    }

    /// <summary>The state before the first value: on the line through the first ten values, one step before it.</summary>
    private static (double Level, double Trend) Start(ReadOnlySpan<double> x)
    {
        var (mean, slope) = SeriesDiagnostics.LinearTrend(x[..Math.Min(x.Length, 10)]);
        int k = Math.Min(x.Length, 10);
        return (mean - slope * ((k - 1) / 2.0 + 1), slope);
    }

    private static double Square(double v) => v * v;
}
