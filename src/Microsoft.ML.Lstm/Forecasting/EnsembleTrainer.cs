using System.Diagnostics;
using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>What <see cref="EnsembleTrainer"/> produced: one transform per series and the shared members.</summary>
internal sealed record EnsembleFit(SeriesTransform[] Transforms, ForecastNetwork[] Members, IntervalCalibration Calibration, ForecastTrainingReport Report);

/// <summary>
/// Trains a forecaster on one series or, for a global model, on several at once: fits a
/// <see cref="SeriesTransform"/> per series (with one network input layout for all, see
/// <see cref="FitTransforms"/>); holds out the targets of each series' last max(H, fraction·N) steps;
/// trains each ensemble member on the rest of all series (with early stopping on the pooled holdout when
/// enabled; then, with <see cref="LstmForecasterOptions.Refit"/>, again on the whole series); calibrates
/// the intervals on the members' combined holdout forecasts, pooled over series (they are in units of
/// each series' scale).
/// </summary>
internal static class EnsembleTrainer
{
    /// <summary>Trains on already checked series and covariates ([N × E] row-major each).</summary>
    public static EnsembleFit Train(IReadOnlyList<double[]> series, IReadOnlyList<double[]> exogenous, LstmForecasterOptions options, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        int S = series.Count, H = options.Horizon, K = options.EnsembleSize;
        var transforms = FitTransforms(series, exogenous, options);
        var data = new ForecastDataset[S];
        var limits = new int[S];
        var full = new int[S];
        int heldOut = 0;
        for (int j = 0; j < S; j++)
        {
            var (y, transform) = (series[j], transforms[j]);
            int N = y.Length;
            if (N < transform.Lag + 2) throw new ArgumentException($"{(S == 1 ? "The series" : $"Series {j}")} has {N} values; seasonal differencing with period {transform.Lag} needs at least {transform.Lag + 2}.", nameof(series));
            data[j] = new ForecastDataset(transform, y.Select(transform.ToModel).ToArray(), exogenous[j], H);
            int holdout = options.ValidationFraction > 0 ? Math.Max(H, (int)Math.Round(options.ValidationFraction * N)) : 0;
            if (holdout > 0 && data[j].RowsBefore(N - holdout) < H) holdout = 0;
            (limits[j], full[j]) = (N - holdout, N);
            heldOut += holdout;
            options.Log?.Invoke($"series {j} transform: log {transform.UseLog}, lag {transform.Lag}, level input {transform.LevelInput}, drift {transform.Drift:G4}, scale {transform.Scale:G4}; holdout {holdout} of {N}");
        }
        bool validate = heldOut > 0;
        var layout = new QuantileLayout(options);
        var loss = new PinballLoss<float>(layout.Levels);
        var spec = ForecastNetwork.SpecFor(options, transforms[0], layout.Count);
        var members = new ForecastNetwork[K];
        var epochs = new int[K];
        var losses = new double[K];
        var outputs = new float[K][];
        Parallel.For(0, K, new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellation }, k =>
        {
            ulong seed = Rng.Derive(options.Seed, (ulong)k + 1);
            var net = new ForecastNetwork(spec, H, layout.Count, transforms[0].ExogenousCount, threads: 1);
            var fit = ForecastTrainer.Fit(net, data, limits, options, loss, seed, options.Epochs, validate, cancellation);
            (epochs[k], losses[k], outputs[k]) = (fit.Epochs, fit.HoldoutLoss, fit.Outputs!);
            if (validate && options.Refit) ForecastTrainer.Fit(net, data, full, options, loss, seed, fit.Epochs, holdout: false, cancellation);
            members[k] = net;
        });

        var calibration = validate && options.CalibrateIntervals
            ? Calibrate(layout, outputs, data, limits)
            : IntervalCalibration.None(layout.ConfidenceLevels.Length, H);
        var report = new ForecastTrainingReport(heldOut, epochs, losses, clock.Elapsed.TotalSeconds);
        options.Log?.Invoke($"trained {K} member(s) on {S} series in {report.Seconds:F1} s; epochs {string.Join(", ", epochs)}");
        return new EnsembleFit(transforms, members, calibration, report);
    }

    /// <summary>
    /// Fits each series' transform. Log is decided per series (it does not change the network input).
    /// Seasonal differencing on Auto is decided by majority over the series (so the network's targets
    /// mean the same for all), and the level input follows from it on Auto: every series gets the same
    /// lag kind and input size. With one series this is <see cref="SeriesTransform.Fit"/>'s own choice.
    /// </summary>
    private static SeriesTransform[] FitTransforms(IReadOnlyList<double[]> series, IReadOnlyList<double[]> exogenous, LstmForecasterOptions options)
    {
        var first = series.Select((y, j) => SeriesTransform.Fit(y, exogenous[j], options)).ToArray();
        bool seasonal = 2 * first.Count(t => t.SeasonalDifferencing) > first.Length;
        bool level = options.LevelInput == AutoSwitch.Auto ? !seasonal : options.LevelInput == AutoSwitch.On;
        if (first.All(t => t.SeasonalDifferencing == seasonal && t.LevelInput == level)) return first;
        var fixedOptions = options.Clone();
        fixedOptions.SeasonalDifferencing = seasonal ? AutoSwitch.On : AutoSwitch.Off;
        fixedOptions.LevelInput = level ? AutoSwitch.On : AutoSwitch.Off;
        return series.Select((y, j) => SeriesTransform.Fit(y, exogenous[j], fixedOptions)).ToArray();
    }

    private static IntervalCalibration Calibrate(QuantileLayout layout, float[][] outputs, ForecastDataset[] data, int[] limits)
    {
        int H = data[0].Horizon, width = H * layout.Count, rows = data.Sum(d => d.Rows);
        var values = new double[rows * width];
        for (int i = 0; i < rows; i++) layout.Combine(outputs, i * width, H, values.AsSpan(i * width, width));
        return IntervalCalibration.Fit(layout, values, ForecastTrainer.HoldoutTargets(data, limits, layout.Count), rows, H);
    }
}
