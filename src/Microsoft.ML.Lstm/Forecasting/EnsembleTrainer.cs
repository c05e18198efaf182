using System.Diagnostics;
using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Trains a forecaster: fits the <see cref="SeriesTransform"/> on the series; holds out the targets of
/// its last max(H, fraction·N) steps; trains each ensemble member on the rest (with early stopping on the
/// holdout when enabled; then, with <see cref="LstmForecasterOptions.Refit"/>, again on the whole series);
/// calibrates the intervals on the members' combined holdout forecasts.
/// </summary>
internal static class EnsembleTrainer
{
    public static LstmForecaster Train(ReadOnlySpan<double> series, ReadOnlySpan<double> exogenous, LstmForecasterOptions options, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        int N = series.Length, H = options.Horizon, K = options.EnsembleSize;
        var transform = SeriesTransform.Fit(series, exogenous, options);
        if (N < transform.Lag + 2) throw new ArgumentException($"The series has {N} values; seasonal differencing with period {transform.Lag} needs at least {transform.Lag + 2}.", nameof(series));
        var x = new double[N];
        for (int t = 0; t < N; t++) x[t] = transform.ToModel(series[t]);
        var data = new ForecastDataset(transform, x, exogenous, H);
        var layout = new QuantileLayout(options);
        var loss = new PinballLoss<float>(layout.Levels);
        int holdout = options.ValidationFraction > 0 ? Math.Max(H, (int)Math.Round(options.ValidationFraction * N)) : 0;
        if (holdout > 0 && data.RowsBefore(N - holdout) < H) holdout = 0;
        options.Log?.Invoke($"transform: log {transform.UseLog}, lag {transform.Lag}, level input {transform.LevelInput}, drift {transform.Drift:G4}, scale {transform.Scale:G4}; holdout {holdout} of {N}");

        var spec = ForecastNetwork.SpecFor(options, transform, layout.Count);
        var members = new ForecastNetwork[K];
        var epochs = new int[K];
        var losses = new double[K];
        var outputs = new float[K][];
        Parallel.For(0, K, new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellation }, k =>
        {
            ulong seed = Rng.Derive(options.Seed, (ulong)k + 1);
            var net = new ForecastNetwork(spec, H, layout.Count, transform.ExogenousCount, threads: 1);
            var fit = ForecastTrainer.Fit(net, data, options, loss, seed, holdout > 0 ? N - holdout : N, options.Epochs, holdout > 0, cancellation);
            (epochs[k], losses[k], outputs[k]) = (fit.Epochs, fit.HoldoutLoss, fit.Outputs!);
            if (holdout > 0 && options.Refit) ForecastTrainer.Fit(net, data, options, loss, seed, N, fit.Epochs, holdout: false, cancellation);
            members[k] = net;
        });

        var calibration = holdout > 0 && options.CalibrateIntervals
            ? Calibrate(layout, outputs, data, N - holdout)
            : IntervalCalibration.None(layout.ConfidenceLevels.Length, H);
        var report = new ForecastTrainingReport(holdout, epochs, losses, clock.Elapsed.TotalSeconds);
        options.Log?.Invoke($"trained {K} member(s) in {report.Seconds:F1} s; epochs {string.Join(", ", epochs)}");
        return new LstmForecaster(options, transform, members, calibration, report);
    }

    private static IntervalCalibration Calibrate(QuantileLayout layout, float[][] outputs, ForecastDataset data, int limit)
    {
        int width = data.Horizon * layout.Count;
        var values = new double[data.Rows * width];
        for (int i = 0; i < data.Rows; i++) layout.Combine(outputs, i * width, data.Horizon, values.AsSpan(i * width, width));
        return IntervalCalibration.Fit(layout, values, ForecastTrainer.HoldoutTargets(data, limit, layout.Count), data.Rows, data.Horizon);
    }
}
