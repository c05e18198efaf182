using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Integrated gradients of a forecaster's point forecasts ŷ_h (h = 1 … H, from the end of a history y [N]) with respect
/// to every history value, from a baseline history y′: a_{h,t} = (y_t − y′_t) · (1/m) Σ_j ∂ŷ_h/∂y_t at
/// y′ + α_j (y − y′), α_j = (j + ½)/m. The point forecast is differentiated the way the engine forms it (covariates
/// aside, which this does not take): x = g(y) per value; the network inputs (x_t − x_{t−ℓ} − drift)/s and the level
/// input; the ensemble's mean median output at the last origin, r; the statistical forecast, linear in x for its fitted
/// parameters (its gradient is computed once, by unit steps); x̂_h = (1 − w)(x_base + k·drift + s·r) + w·stat_h;
/// ŷ_h = g⁻¹(x̂_h). Each member runs the m points as one batch, one backward pass per horizon step.
/// </summary>
internal static class ForecastAttribution
{
    /// <summary>
    /// Attributions [S × N] of the forecasts <paramref name="horizonSteps"/> (S of them, each 1 … H) ahead, and those
    /// forecasts at y and at y′.
    /// </summary>
    public static (double[] Attributions, double[] Forecast, double[] BaselineForecast) Compute(LstmForecaster model,
        ReadOnlySpan<double> y, ReadOnlySpan<double> baseline, int points, IReadOnlyList<int> horizonSteps)
    {
        var transform = model.Transform;
        if (transform.ExogenousCount > 0)
            throw new NotSupportedException(
                "Attributions of a forecaster with covariates are not available: they would need the covariates' share too.");
        int N = y.Length, H = model.Horizon, m = points, lag = transform.Lag, R = N - lag, F = transform.InputSize;
        int Q = model.Layout.Count, median = model.Layout.Median, K = model.Members.Length;
        double w = model.SmoothingWeight;

        // The statistical forecast is affine in x: its gradient [H × N] by unit steps, the same at every point.
        var x0 = new double[N];
        var statGradient = new double[H * N];
        var statAt = new double[H];
        var stepped = new double[H];
        for (int t = 0; t < N; t++) x0[t] = transform.ToModel(y[t]);
        Statistical(model, x0, statAt);
        for (int t = 0; t < N; t++)
        {
            x0[t] += 1;
            Statistical(model, x0, stepped);
            x0[t] -= 1;
            for (int h = 0; h < H; h++) statGradient[h * N + t] = stepped[h] - statAt[h];
        }

        // The path in chunks of points: per chunk the model-space histories, the network inputs and dx/dy; then the
        // ensemble's r at the last origin (all members first: the slope of g⁻¹ needs x̂); then per member and horizon
        // step one backward pass, chained to y and added up.
        int S = horizonSteps.Count;
        var attributions = new double[S * N];
        int chunk = Math.Min(m, Math.Max(1, ChunkValues / Math.Max(1, R * F)));
        var xs = new double[chunk][];
        for (int c = 0; c < chunk; c++) xs[c] = new double[N];
        var dxdy = new double[chunk * N];
        var inputs = new float[R * chunk * F];
        var r0 = new double[chunk * H];
        var slope = new double[chunk * H];
        var dOut = new float[R * chunk * H * Q];
        for (int j0 = 0; j0 < m; j0 += chunk)
        {
            int c = Math.Min(chunk, m - j0);
            for (int j = 0; j < c; j++)
            {
                double alpha = (j0 + j + 0.5) / m;
                for (int t = 0; t < N; t++)
                {
                    double v = baseline[t] + alpha * (y[t] - baseline[t]);
                    xs[j][t] = transform.ToModel(v);
                    dxdy[j * N + t] = transform.ModelSlope(v);
                }
                var data = new ForecastDataset(transform, xs[j], [], H);
                for (int r = 0; r < R; r++) data.Inputs.AsSpan(r * F, F).CopyTo(inputs.AsSpan((r * c + j) * F, F));
            }
            var batch = new SequenceBatch<float>(R, c, F, inputs.AsSpan(0, R * c * F).ToArray());
            Array.Clear(r0);
            foreach (var member in model.Members)
            {
                var output = member.Net.Forward(member.Net.CreateWorkspace(), batch);
                for (int j = 0; j < c; j++)
                    for (int h = 0; h < H; h++) r0[j * H + h] += output[((R - 1) * c + j) * H * Q + h * Q + median] / (double)K;
            }
            for (int j = 0; j < c; j++)
            {
                Statistical(model, xs[j], stepped);
                for (int h = 1; h <= H; h++)
                {
                    double xhat = (1 - w) * (xs[j][N - 1 + transform.BaselineOffset(h)] + transform.DriftSteps(h) * transform.Drift
                        + transform.Scale * r0[j * H + h - 1]) + w * stepped[h - 1];
                    slope[j * H + h - 1] = transform.InverseSlope(xhat);
                }
            }
            foreach (var member in model.Members)
            {
                var net = member.Net;
                var ws = net.CreateWorkspace();
                ws.ComputeInputGradient = true;
                for (int o = 0; o < S; o++)
                {
                    int h = horizonSteps[o];
                    net.Forward(ws, batch);
                    for (int j = 0; j < c; j++) dOut[((R - 1) * c + j) * H * Q + (h - 1) * Q + median] = 1f / K;
                    net.Backward(ws, dOut.AsSpan(0, R * c * H * Q), net.Parameters.ZerosLike());
                    for (int j = 0; j < c; j++) dOut[((R - 1) * c + j) * H * Q + (h - 1) * Q + median] = 0;   // zero again
                    Chain(transform, ws.InputGradient, h, H, c, y, baseline, dxdy, slope, (1 - w) / m,
                        attributions.AsSpan(o * N, N));
                }
            }
            // The parts outside the network: the baseline observation and the statistical forecast.
            for (int j = 0; j < c; j++)
                for (int o = 0; o < S; o++)
                {
                    int h = horizonSteps[o], b = N - 1 + transform.BaselineOffset(h);
                    double k = slope[j * H + h - 1] / m;
                    var a = attributions.AsSpan(o * N, N);
                    a[b] += (y[b] - baseline[b]) * k * (1 - w) * dxdy[j * N + b];
                    for (int t = 0; t < N; t++) a[t] += (y[t] - baseline[t]) * k * w * statGradient[(h - 1) * N + t] * dxdy[j * N + t];
                }
        }
        var forecast = new double[S];
        var baselineForecast = new double[S];
        PointForecasts(model, y, horizonSteps, forecast);
        PointForecasts(model, baseline, horizonSteps, baselineForecast);
        return (attributions, forecast, baselineForecast);
    }

    /// <summary>Values per network batch of path points: bounds the activations kept for the backward pass.</summary>
    private const int ChunkValues = 1 << 16;

    /// <summary>
    /// Adds (y − y′) · ∂ŷ_h/∂y through the network part, (1 − w)·s·dr, for the <paramref name="c"/> points of a chunk:
    /// dr/d(input) → dr/dx (the input (x_t − x_{t−ℓ} − drift)/s and the level input (x_t − mean)/scale) → dŷ/dy.
    /// </summary>
    private static void Chain(SeriesTransform transform, ReadOnlySpan<float> dInput, int h, int horizon, int c, ReadOnlySpan<double> y,
        ReadOnlySpan<double> baseline, double[] dxdy, double[] slope, double weight, Span<double> attributions)
    {
        int F = transform.InputSize, lag = transform.Lag, N = y.Length, R = N - lag;
        double s = transform.Scale;
        for (int j = 0; j < c; j++)
        {
            double k = weight * s * slope[j * horizon + h - 1];
            for (int r = 0; r < R; r++)
            {
                int t = r + lag, at = (r * c + j) * F;
                double d = dInput[at] / s;
                double dt = d + (transform.LevelInput ? dInput[at + 1] / transform.LevelScale : 0);
                attributions[t] += (y[t] - baseline[t]) * k * dt * dxdy[j * N + t];
                attributions[t - lag] -= (y[t - lag] - baseline[t - lag]) * k * d * dxdy[j * N + t - lag];
            }
        }
    }

    /// <summary>The forecasts the engine makes after <paramref name="y"/> (its point forecasts).</summary>
    private static void PointForecasts(LstmForecaster model, ReadOnlySpan<double> y, IReadOnlyList<int> steps, double[] forecast)
    {
        var point = model.CreateEngine(y).Forecast().Point;
        for (int o = 0; o < steps.Count; o++) forecast[o] = point[steps[o] - 1];
    }

    /// <summary>The statistical forecasts stat_h [H] in model space after <paramref name="x"/>.</summary>
    private static void Statistical(LstmForecaster model, double[] x, double[] forecasts) =>
        model.Smoothing.Forecast(model.Smoothing.Run(x), x.Length, forecasts);
}
