using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>
/// Conditional-sum-of-squares fit of an ARMA(p, q) to a mean-removed series w (the differences of the adjusted series
/// less their drift): e_t = w_t − φ₁w_{t−1} − … − φ_p w_{t−p} − θ₁e_{t−1} − … − θ_q e_{t−q},
/// residuals before the first p values taken as 0, minimised over (φ, θ) by Nelder–Mead from the given AR coefficients
/// and θ = 0; parameters
/// of a process that is not stationary (φ) or not invertible (θ) score +∞. This is how R's <c>arima(method = "CSS")</c>
/// estimates, and the starting point of its default maximum likelihood.
/// </summary>
internal static class ArmaFit
{
    /// <summary>The CSS-fitted coefficients of order (p, q) and their mean squared residual over the n − p terms.</summary>
    public static (double[] Phi, double[] Theta, double Variance) Fit(ReadOnlySpan<double> w, int p, int q, ReadOnlySpan<double> startPhi)
    {
        int k = p + q;
        var start = new double[k];
        for (int i = 0; i < Math.Min(p, startPhi.Length); i++) start[i] = startPhi[i];
        var data = w.ToArray();
        double Sse(double[] v) => Residuals(data, v.AsSpan(0, p), v.AsSpan(p, q), null);
        var best = k == 0 ? start : NelderMead(Sse, start, 0.1, 200 * k);
        double sse = Sse(best);
        return (best[..p], best[p..], sse / Math.Max(1, data.Length - p));
    }

    /// <summary>
    /// Σ e_t² over t ≥ p (+∞ outside the stationary and invertible region); fills <paramref name="residuals"/> (when given,
    /// length of w) with e_t (0 for t &lt; p).
    /// </summary>
    public static double Residuals(ReadOnlySpan<double> w, ReadOnlySpan<double> phi, ReadOnlySpan<double> theta, double[]? residuals)
    {
        if (!Stationary(phi) || !Invertible(theta)) return double.PositiveInfinity;
        int p = phi.Length, q = theta.Length, n = w.Length;
        Span<double> e = residuals is not null ? residuals : n <= 4096 ? stackalloc double[n] : new double[n];
        double sse = 0;
        for (int t = 0; t < n; t++)
        {
            if (t < p) { e[t] = 0; continue; }
            double v = w[t];
            for (int i = 0; i < p; i++) v -= phi[i] * w[t - 1 - i];
            for (int j = 0; j < q && t - 1 - j >= 0; j++) v -= theta[j] * e[t - 1 - j];
            e[t] = v;
            sse += v * v;
        }
        return double.IsFinite(sse) ? sse : double.PositiveInfinity;
    }

    /// <summary>Whether 1 − φ₁z − … − φ_p z^p has every root outside the unit circle.</summary>
    public static bool Stationary(ReadOnlySpan<double> phi) => Autoregression.IsStationary(phi);

    /// <summary>Whether 1 + θ₁z + … + θ_q z^q has every root outside the unit circle.</summary>
    public static bool Invertible(ReadOnlySpan<double> theta)
    {
        var negated = new double[theta.Length];
        for (int j = 0; j < theta.Length; j++) negated[j] = -theta[j];
        return Stationary(negated);
    }

    /// <summary>Nelder–Mead minimisation of <paramref name="f"/> from <paramref name="x0"/> (initial step per coordinate).</summary>
    private static double[] NelderMead(Func<double[], double> f, double[] x0, double step, int maxEvaluations)
    {
        int k = x0.Length;
        var points = new double[k + 1][];
        var values = new double[k + 1];
        for (int i = 0; i <= k; i++)
        {
            points[i] = (double[])x0.Clone();
            if (i > 0) points[i][i - 1] += step;
            values[i] = f(points[i]);
        }
        int evaluations = k + 1;
        var centroid = new double[k];
        while (evaluations < maxEvaluations)
        {
            Array.Sort(values, points);
            if (values[k] - values[0] <= 1e-10 * (Math.Abs(values[0]) + 1e-20)) break;
            Array.Clear(centroid);
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++) centroid[j] += points[i][j] / k;
            double[] Toward(double t) => [.. centroid.Select((c, j) => c + t * (points[k][j] - c))];
            var reflected = Toward(-1);
            double fr = f(reflected);
            evaluations++;
            if (fr < values[0])
            {
                var expanded = Toward(-2);
                double fe = f(expanded);
                evaluations++;
                (points[k], values[k]) = fe < fr ? (expanded, fe) : (reflected, fr);
            }
            else if (fr < values[k - 1]) (points[k], values[k]) = (reflected, fr);
            else
            {
                var contracted = Toward(fr < values[k] ? -0.5 : 0.5);
                double fc = f(contracted);
                evaluations++;
                if (fc < Math.Min(fr, values[k])) (points[k], values[k]) = (contracted, fc);
                else
                {
                    for (int i = 1; i <= k; i++)
                    {
                        for (int j = 0; j < k; j++) points[i][j] = points[0][j] + 0.5 * (points[i][j] - points[0][j]);
                        values[i] = f(points[i]);
                    }
                    evaluations += k;
                }
            }
        }
        Array.Sort(values, points);
        return points[0];
    }
}
