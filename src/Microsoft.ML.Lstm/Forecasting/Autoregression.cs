namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// An autoregression on the first differences of a (seasonally adjusted) series, ARIMA(p, 1, 0) with an optional drift:
/// with d_t = a_t − a_{t−1} and μ the drift, d_t − μ = φ₁(d_{t−1} − μ) + … + φ_p(d_{t−p} − μ) + e_t.
/// The coefficients come from the Yule–Walker equations (Levinson–Durbin, so the fitted process is always
/// stationary), p ≤ 10 chosen by AIC (AICc, auto.arima's criterion, did no better on the panel); the drift is kept only
/// when it is more than twice its standard error.
/// It carries what exponential smoothing cannot: cycles (sunspots), momentum of a growth rate (air miles) and
/// mean-reverting swings around a trend. Forecasting needs only the last p + 1 values, so a streaming model keeps them
/// in its state.
/// </summary>
internal sealed class Autoregression
{
    /// <summary>The largest order tried.</summary>
    public const int MaxOrder = 10;

    private readonly double[] _coefficients;

    private Autoregression(double[] coefficients, double mean)
    {
        _coefficients = coefficients;
        Mean = mean;
    }

    /// <summary>φ₁ … φ_p.</summary>
    public IReadOnlyList<double> Coefficients => _coefficients;

    /// <summary>p.</summary>
    public int Order => _coefficients.Length;

    /// <summary>μ, the mean step (0 when not significant).</summary>
    public double Mean { get; }

    /// <summary>How many of the last values <see cref="Forecast"/> needs: p + 1.</summary>
    public int Memory => Order + 1;

    /// <summary>Fits the drift and the coefficients on <paramref name="a"/> (at least one value).</summary>
    public static Autoregression Fit(ReadOnlySpan<double> a)
    {
        int n = a.Length - 1;
        if (n < 4) return new Autoregression([], 0);
        var d = new double[n];
        for (int t = 0; t < n; t++) d[t] = a[t + 1] - a[t];
        var (mean, variance) = SeriesDiagnostics.Moments(d);
        if (!(variance > 0)) return new Autoregression([], mean);
        if (Math.Abs(mean) <= 2 * Math.Sqrt(variance / n)) mean = 0;
        int maxOrder = Math.Min(MaxOrder, n / 10);
        var gamma = new double[maxOrder + 1];
        for (int k = 0; k <= maxOrder; k++)
        {
            double s = 0;
            for (int t = k; t < n; t++) s += (d[t] - mean) * (d[t - k] - mean);
            gamma[k] = s / n;
        }
        return new Autoregression(LevinsonDurbin(gamma, n), mean);
    }

    /// <summary>A model with the given coefficients and mean step, as stored.</summary>
    /// <exception cref="ArgumentException">More than <see cref="MaxOrder"/> coefficients, a value that is not finite, or
    /// coefficients of a process that is not stationary (they could not have been fitted; its forecasts would
    /// explode).</exception>
    public static Autoregression FromCoefficients(double[] coefficients, double mean, string paramName)
    {
        if (coefficients.Length > MaxOrder || !double.IsFinite(mean) || !coefficients.All(double.IsFinite)
            || !IsStationary(coefficients))
            throw new ArgumentException(
                $"The autoregression ({coefficients.Length} coefficients, mean {mean}) is not a stationary fit of order at most " +
                $"{MaxOrder}.",
                paramName);
        return new Autoregression((double[])coefficients.Clone(), mean);
    }

    /// <summary>
    /// Whether φ describes a stationary process: the step-down recursion finds every reflection coefficient inside (−1, 1).
    /// </summary>
    internal static bool IsStationary(ReadOnlySpan<double> coefficients)
    {
        var phi = coefficients.ToArray();
        for (int p = phi.Length; p >= 1; p--)
        {
            double k = phi[p - 1];
            if (!(Math.Abs(k) < 1)) return false;
            var lower = new double[p - 1];
            for (int j = 0; j < p - 1; j++) lower[j] = (phi[j] + k * phi[p - 2 - j]) / (1 - k * k);
            phi = lower;
        }
        return true;
    }

    /// <summary>"ARIMA(p,1,0)", the coefficients and the drift, for the log.</summary>
    public override string ToString() =>
        $"ARIMA({Order},1,0)" + (Order > 0 ? $" φ {string.Join(", ", _coefficients.Select(c => c.ToString("G3")))}" : "") +
        (Mean != 0 ? $", drift {Mean:G3}" : ", no drift");

    /// <summary>
    /// Yule–Walker coefficients of every order up to γ's length − 1 by the Levinson–Durbin recursion; returns those of
    /// the order with the smallest AIC, n·log σ²_p + 2p.
    /// </summary>
    private static double[] LevinsonDurbin(ReadOnlySpan<double> gamma, int n)
    {
        int P = gamma.Length - 1;
        var phi = new double[P + 1];
        var previous = new double[P + 1];
        double sigma = gamma[0], bestAic = n * Math.Log(sigma);
        double[] best = [];
        for (int p = 1; p <= P; p++)
        {
            double acc = gamma[p];
            for (int j = 1; j < p; j++) acc -= previous[j] * gamma[p - j];
            double k = acc / sigma;
            if (!double.IsFinite(k) || Math.Abs(k) >= 1) break;
            phi[p] = k;
            for (int j = 1; j < p; j++) phi[j] = previous[j] - k * previous[p - j];
            sigma *= 1 - k * k;
            Array.Copy(phi, previous, p + 1);
            double aic = n * Math.Log(sigma) + 2 * p;
            if (aic < bestAic) (bestAic, best) = (aic, phi[1..(p + 1)]);
        }
        return best;
    }

    /// <summary>
    /// The forecasts 1 … <paramref name="forecasts"/>.Length steps after <paramref name="recent"/> (its last
    /// <see cref="Memory"/> values, oldest first).
    /// </summary>
    public void Forecast(ReadOnlySpan<double> recent, Span<double> forecasts)
    {
        int p = Order;
        Span<double> lags = stackalloc double[MaxOrder];
        for (int j = 0; j < p; j++) lags[j] = recent[^(j + 1)] - recent[^(j + 2)] - Mean;
        double level = recent[^1];
        for (int h = 0; h < forecasts.Length; h++)
        {
            double next = 0;
            for (int j = 0; j < p; j++) next += _coefficients[j] * lags[j];
            for (int j = p - 1; j > 0; j--) lags[j] = lags[j - 1];
            if (p > 0) lags[0] = next;
            level += next + Mean;
            forecasts[h] = level;
        }
    }
}
