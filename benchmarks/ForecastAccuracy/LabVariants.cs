using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>A statistical forecast for <see cref="Lab"/>: forecasts H steps from each origin (values seen), fitted on a prefix.</summary>
/// <param name="Forecast">(x, values to fit on, periods, the network's seasonal lag, origins ascending, H) → forecasts per
/// origin, model space.</param>
/// <param name="Weight">Optionally replaces the weight chosen on the holdout.</param>
/// <param name="BaselineWeights">Optionally, weights b of the network's baseline (seasonal naive or naive, with drift),
/// chosen jointly with the LSTM/statistics weight on the holdout: (1 − b)·combination + b·baseline, first on a tie.</param>
internal sealed record LabVariant(string Name, Func<double[], int, int[], int, int[], int, double[][]> Forecast,
    Func<double, double, double, double>? Weight = null, double[]? BaselineWeights = null, double[]? Candidates = null,
    double Margin = 0);

/// <summary>One model of the seasonally adjusted series: fitted on a prefix, then forecasting from any longer prefix.</summary>
internal interface ILabComponent
{
    void Fit(ReadOnlySpan<double> a);

    double[] Forecast(ReadOnlySpan<double> a, int horizon);
}

/// <summary>The variants compared by <see cref="Lab"/>.</summary>
internal static class LabVariants
{
    public static IReadOnlyList<LabVariant> All { get; } =
    [
        new("library", Library),
        Adjusted("damped+ar", () => new Damped(), () => new Ar()),
        Adjusted("damped", () => new Damped()),
        Adjusted("ar", () => new Ar()),
        Adjusted("theta", () => new Theta()),
        Adjusted("damped+ar+theta", () => new Damped(), () => new Ar(), () => new Theta()),
        Adjusted("ar+theta", () => new Ar(), () => new Theta()),
        Adjusted("ses+holt+damped+ar", () => new Ses(), () => new Holt(), () => new Damped(), () => new Ar()),
        new("library, w 0.5", Library, (_, _, _) => 0.5),
        new("library, seasons with 4 cycles", (x, fit, p, lag, o, h) => Library(x, fit, [.. p.Where(m => fit >= 4 * m)], lag, o, h)),
        new("library, seasons with 4 cycles or the network's lag", (x, fit, p, lag, o, h) =>
            Library(x, fit, [.. p.Where(m => m == lag || fit >= 4 * m)], lag, o, h)),
        new("library, seasons with 5 cycles", (x, fit, p, lag, o, h) => Library(x, fit, [.. p.Where(m => fit >= 5 * m)], lag, o, h)),
        new("library, seasons that pass the baseline check", (x, fit, p, lag, o, h) =>
            Library(x, fit, [.. p.Where(m => m < 2 || BaselineCheck.SeasonalBeatsNaive(x.AsSpan(0, fit), m, h))], lag, o, h)),
        new("library, seasons with 8 cycles", (x, fit, p, lag, o, h) => Library(x, fit, [.. p.Where(m => fit >= 8 * m)], lag, o, h)),
        new("lstm", Library, (_, _, _) => 0),
        new("stat", Library, (_, _, _) => 1),
        new("library, alone when 2x", Library, (w, l, s) => l > 2 * s ? 1 : s > 2 * l ? 0 : w),
        new("library, alone when 1.5x", Library, (w, l, s) => l > 1.5 * s ? 1 : s > 1.5 * l ? 0 : w),
        new("library, stat alone when 1.5x", Library, (w, l, s) => l > 1.5 * s ? 1 : w),
        Adjusted("damped+arma22", () => new Damped(), () => new Arma(2, 2)),
        Adjusted("damped+arma11", () => new Damped(), () => new Arma(1, 1)),
        Adjusted("damped+arma21", () => new Damped(), () => new Arma(2, 1)),
        Adjusted("arma11", () => new Arma(1, 1)),
        Adjusted("damped+ar, drift always", () => new Damped(), () => new Ar(alwaysDrift: true)),
        Adjusted("damped+arma33", () => new Damped(), () => new Arma(3, 3)),
        Adjusted("arma22", () => new Arma(2, 2)),
        Adjusted("damped+ar+arma22", () => new Damped(), () => new Ar(), () => new Arma(2, 2)),
        new("library, inverse MAE", Library, (_, l, s) => l / (l + s)),
        new("library, inverse MAE in [0.25, 0.75]", Library, (_, l, s) => Math.Clamp(l / (l + s), 0.25, 0.75)),
        new("library, inverse squared MAE", Library, (_, l, s) => l * l / (l * l + s * s)),
        new("library, mean of chosen and inverse MAE", Library, (w, l, s) => (w + l / (l + s)) / 2),
        new("library, margin 2%", Library, Candidates: [0.5, 0.25, 0.75], Margin: 0.02),
        new("library, margin 5%", Library, Candidates: [0.5, 0.25, 0.75], Margin: 0.05),
        new("library, 0.1..0.9", Library, Candidates: [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9]),
        new("library, 0.2..0.8", Library, Candidates: [0.5, 0.35, 0.65, 0.2, 0.8]),
        new("library, 0.1..0.9 margin 2%", Library, Candidates: [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9], Margin: 0.02),
        new("library, baseline 0/0.25", Library, BaselineWeights: [0, 0.25]),
        new("library, baseline 0/0.25/0.5", Library, BaselineWeights: [0, 0.25, 0.5]),
        new("library, baseline 0/0.5", Library, BaselineWeights: [0, 0.5]),
        new("library, baseline 0/0.25/0.5/0.75", Library, BaselineWeights: [0, 0.25, 0.5, 0.75]),
    ];

    /// <summary>
    /// The library's own <see cref="SmoothingBaseline"/>, run as <see cref="SmoothingCombination.HoldoutForecasts"/> runs it.
    /// </summary>
    private static double[][] Library(double[] x, int fit, int[] periods, int lag, int[] origins, int horizon)
    {
        var baseline = SmoothingBaseline.Fit(x.AsSpan(0, fit), periods, lag);
        var state = baseline.Start(x);
        var result = new double[origins.Length][];
        int k = 0;
        for (int t = 0; t < x.Length && k < origins.Length; t++)
        {
            baseline.Update(state, t, x[t]);
            for (; k < origins.Length && origins[k] == t + 1; k++) baseline.Forecast(state, t + 1, result[k] = new double[horizon]);
        }
        return result;
    }

    /// <summary>The equal-weight mean of components on the series seasonally adjusted at each period, shortest first.</summary>
    private static LabVariant Adjusted(string name, params Func<ILabComponent>[] components) =>
        new(name, (x, fit, periods, lag, origins, horizon) =>
    {
        var (seasons, _) = SmoothingBaseline.FitSeasons(x.AsSpan(0, fit), periods, lag);
        var a = new double[x.Length];
        for (int t = 0; t < x.Length; t++)
        {
            a[t] = x[t];
            foreach (var season in seasons) a[t] = season.Adjust(a[t], t);
        }
        var fitted = components.Select(c => { var m = c(); m.Fit(a.AsSpan(0, fit)); return m; }).ToArray();
        return origins.Select(o =>
        {
            var f = new double[horizon];
            foreach (var m in fitted)
            {
                var g = m.Forecast(a.AsSpan(0, o), horizon);
                for (int h = 0; h < horizon; h++) f[h] += g[h] / fitted.Length;
            }
            for (int h = 0; h < horizon; h++)
                for (int i = seasons.Count - 1; i >= 0; i--) f[h] = seasons[i].Restore(f[h], o + h);
            return f;
        }).ToArray();
    });

    private class Damped : ILabComponent
    {
        protected DampedTrend Parameters;

        public virtual void Fit(ReadOnlySpan<double> a) => Parameters = DampedTrend.Fit(a);

        public double[] Forecast(ReadOnlySpan<double> a, int horizon)
        {
            var s = Parameters.StartedOn(a);
            foreach (double v in a) s.Update(v);
            return [.. Enumerable.Range(1, horizon).Select(s.Forecast)];
        }
    }

    private sealed class Ar(bool alwaysDrift = false) : ILabComponent
    {
        private Autoregression? _ar;

        public void Fit(ReadOnlySpan<double> a)
        {
            _ar = Autoregression.Fit(a);
            if (!alwaysDrift || a.Length < 2) return;
            double mean = (a[^1] - a[0]) / (a.Length - 1);
            _ar = Autoregression.FromCoefficients([.. _ar.Coefficients], mean, "a");
        }

        public double[] Forecast(ReadOnlySpan<double> a, int horizon)
        {
            var recent = new double[_ar!.Memory];
            for (int j = 0; j < recent.Length; j++) recent[^(j + 1)] = a[Math.Max(0, a.Length - 1 - j)];
            var f = new double[horizon];
            _ar.Forecast(recent, f);
            return f;
        }
    }

    /// <summary>ARIMA(p,1,q) by CSS, p ≤ P and q ≤ Q chosen by AIC, drift when significant (as the autoregression).</summary>
    private sealed class Arma(int maxP, int maxQ) : ILabComponent
    {
        private double[] _phi = [], _theta = [];
        private double _mean;

        public void Fit(ReadOnlySpan<double> a)
        {
            int n = a.Length - 1;
            if (n < 4) return;
            var d = new double[n];
            for (int t = 0; t < n; t++) d[t] = a[t + 1] - a[t];
            var (mean, variance) = SeriesDiagnostics.Moments(d);
            if (!(variance > 0)) return;
            _mean = Math.Abs(mean) <= 2 * Math.Sqrt(variance / n) ? 0 : mean;
            var w = d.Select(v => v - _mean).ToArray();
            double best = n * Math.Log(variance);
            for (int p = 0; p <= maxP; p++)
                for (int q = 0; q <= maxQ; q++)
                {
                    if (p + q == 0 || p + q > n / 10) continue;
                    var (phi, theta, v) = ArmaFit.Fit(w, p, q, []);
                    double aic = n * Math.Log(v) + 2 * (p + q);
                    if (aic < best) (best, _phi, _theta) = (aic, phi, theta);
                }
        }

        public double[] Forecast(ReadOnlySpan<double> a, int horizon)
        {
            int n = a.Length - 1, p = _phi.Length, q = _theta.Length;
            var w = new double[Math.Max(0, n)];
            for (int t = 0; t < n; t++) w[t] = a[t + 1] - a[t] - _mean;
            var e = new double[w.Length];
            ArmaFit.Residuals(w, _phi, _theta, e);
            var ws = w.ToList();
            var es = e.ToList();
            double level = a[^1];
            var f = new double[horizon];
            for (int h = 0; h < horizon; h++)
            {
                double next = 0;
                for (int i = 0; i < p; i++) next += ws.Count - 1 - i >= 0 ? _phi[i] * ws[^(i + 1)] : 0;
                for (int j = 0; j < q; j++) next += es.Count - 1 - j >= 0 ? _theta[j] * es[^(j + 1)] : 0;
                ws.Add(next);
                es.Add(0);
                level += next + _mean;
                f[h] = level;
            }
            return f;
        }
    }

    /// <summary>Simple exponential smoothing, α on a grid by one-step squared error, started at the first value.</summary>
    private class Ses : ILabComponent
    {
        protected double Alpha = 0.5;

        public virtual void Fit(ReadOnlySpan<double> a)
        {
            double best = double.PositiveInfinity;
            for (double alpha = 0.01; alpha < 1; alpha += 0.01)
            {
                double level = a[0], sse = 0;
                for (int t = 1; t < a.Length; t++) { double e = a[t] - level; sse += e * e; level += alpha * e; }
                if (sse < best) (best, Alpha) = (sse, alpha);
            }
        }

        protected double Level(ReadOnlySpan<double> a)
        {
            double level = a[0];
            for (int t = 1; t < a.Length; t++) level += Alpha * (a[t] - level);
            return level;
        }

        public virtual double[] Forecast(ReadOnlySpan<double> a, int horizon)
        {
            double level = Level(a);
            return [.. Enumerable.Repeat(level, horizon)];
        }
    }

    /// <summary>R's thetaf on the adjusted series: SES plus half the least-squares slope b, b/2·(h − 1 + (1 − (1 − α)^n)/α).
    /// </summary>
    private sealed class Theta : Ses
    {
        private double _slope;

        public override void Fit(ReadOnlySpan<double> a)
        {
            base.Fit(a);
            _slope = SeriesDiagnostics.LinearTrend(a).Slope;
        }

        public override double[] Forecast(ReadOnlySpan<double> a, int horizon)
        {
            double level = Level(a), alpha = Alpha, n = a.Length;
            return [.. Enumerable.Range(1, horizon).Select(h => level + _slope / 2 * (h - 1 + (1 - Math.Pow(1 - alpha, n)) / alpha))];
        }
    }

    /// <summary>Holt's linear trend: <see cref="DampedTrend"/> without damping (φ = 1), α and β on a grid.</summary>
    private sealed class Holt : Damped
    {
        public override void Fit(ReadOnlySpan<double> a)
        {
            double best = double.PositiveInfinity;
            foreach (double alpha in (double[])[0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.98])
                foreach (double beta in (double[])[0.01, 0.05, 0.1, 0.2, 0.3, 0.5])
                {
                    var m = new DampedTrend { Alpha = alpha, Beta = beta, Phi = 1 }.StartedOn(a);
                    double sse = 0;
                    foreach (double v in a) { double e = m.Update(v); sse += e * e; }
                    if (sse < best) (best, Parameters) = (sse, m);
                }
        }
    }
}
