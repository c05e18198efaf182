using System.Diagnostics;
using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>What <see cref="EnsembleTrainer"/> produced: one transform per series and the shared members.</summary>
internal sealed record EnsembleFit(SeriesTransform[] Transforms, ForecastNetwork[] Members,
    IntervalCalibration Calibration, ForecastTrainingReport Report);

/// <summary>
/// Trains a forecaster on one series or, for a global model, on several at once: fits a
/// <see cref="SeriesTransform"/> per series (with one network input layout for all, see
/// <see cref="FitTransforms"/>); holds out the targets of each series' last max(H, fraction·N) steps;
/// trains each ensemble member on the rest of all series (with early stopping on the pooled holdout when
/// enabled; then, with <see cref="LstmForecastingOptions.Refit"/>, again on the whole series); calibrates
/// the intervals on the members' combined holdout forecasts, pooled over series (they are in units of
/// each series' scale), and with <see cref="LstmForecastingOptions.CalibrationFolds"/> &gt; 1 also on those
/// of ensembles that hold out earlier blocks (<see cref="ConformalCalibration.FoldBlocks"/>).
/// </summary>
internal static class EnsembleTrainer
{
    /// <summary>Trains on already checked series and covariates ([N × E] row-major each).</summary>
    public static EnsembleFit Train(IReadOnlyList<double[]> series, IReadOnlyList<double[]> exogenous,
        ForecasterSettings options, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        int S = series.Count, H = options.Horizon, K = options.Model.EnsembleSize;
        var transforms = FitTransforms(series, exogenous, options);
        var data = new ForecastDataset[S];
        var holdouts = new TargetBlock[S];
        int heldOut = 0;
        for (int j = 0; j < S; j++)
        {
            var (y, transform) = (series[j], transforms[j]);
            int N = y.Length;
            if (N < transform.Lag + 2)
                throw new ArgumentException(
                    $"{(S == 1 ? "The series" : $"Series {j}")} has {N} values; seasonal differencing with period {transform.Lag} needs " +
                    $"at least {transform.Lag + 2}.",
                    nameof(series));
            data[j] = new ForecastDataset(transform, y.Select(transform.ToModel).ToArray(), exogenous[j], H);
            int holdout = options.Model.ValidationFraction > 0 ? Math.Max(H, (int)Math.Round(options.Model.ValidationFraction * N)) : 0;
            if (holdout > 0 && data[j].RowsBefore(N - holdout) < H) holdout = 0;
            holdouts[j] = new TargetBlock(N - holdout, N);
            heldOut += holdout;
            options.Log?.Invoke(
                $"series {j} transform: {transform.TransformName}, lag {transform.Lag}, level input {transform.LevelInput}, drift " +
                $"{transform.Drift:G4}, scale {transform.Scale:G4}; holdout {holdout} of {N}");
        }
        bool validate = heldOut > 0;
        var layout = new QuantileLayout(options);
        var loss = new PinballLoss<float>(layout.Levels);
        var spec = ForecastNetwork.SpecFor(options, transforms[0], layout.Count);
        var folds = validate && options.Model.CalibrateIntervals
            ? ConformalCalibration.FoldBlocks(data, holdouts, options.Model.CalibrationFolds)
            : [holdouts];
        int F = folds.Count;
        var members = new ForecastNetwork[K];
        var epochs = new int[K];
        var losses = new double[K];
        var outputs = new float[F][][];
        for (int f = 0; f < F; f++) outputs[f] = new float[K][];
        Parallel.For(0, F * K, new ParallelOptions
        {
            MaxDegreeOfParallelism = options.NumberOfThreads,
            CancellationToken = cancellation
        }, job =>
        {
            int f = job / K, k = job % K;
            ulong seed = Rng.Derive(options.Seed, (ulong)k + 1);
            var net = new ForecastNetwork(spec, H, layout.Count, transforms[0].ExogenousCount, threads: 1);
            var fit = ForecastTrainer.Fit(net, data, folds[f], options, loss, seed, options.Model.NumberOfEpochs, validate, cancellation);
            outputs[f][k] = fit.Outputs!;
            if (f > 0) return;
            (epochs[k], losses[k]) = (fit.Epochs, fit.HoldoutLoss);
            if (validate && options.Model.Refit)
                ForecastTrainer.Fit(net, data, data.Select(d => TargetBlock.None(d.Length)).ToArray(),
                    options, loss, seed, fit.Epochs, holdout: false, cancellation);
            members[k] = net;
        });

        var calibration = validate && options.Model.CalibrateIntervals
            ? Calibrate(layout, outputs, data, folds, options)
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
    private static SeriesTransform[] FitTransforms(IReadOnlyList<double[]> series,
        IReadOnlyList<double[]> exogenous, ForecasterSettings options)
    {
        var first = series.Select((y, j) => SeriesTransform.Fit(y, exogenous[j], options)).ToArray();
        bool seasonal = 2 * first.Count(t => t.SeasonalDifferencing) > first.Length;
        bool level = options.Model.LevelInput == AutoSwitch.Auto ? !seasonal : options.Model.LevelInput == AutoSwitch.On;
        if (first.All(t => t.SeasonalDifferencing == seasonal && t.LevelInput == level)) return first;
        var fixedOptions = options.Clone();
        fixedOptions.Model.SeasonalDifferencing = seasonal ? AutoSwitch.On : AutoSwitch.Off;
        fixedOptions.Model.LevelInput = level ? AutoSwitch.On : AutoSwitch.Off;
        return series.Select((y, j) => SeriesTransform.Fit(y, exogenous[j], fixedOptions)).ToArray();
    }

    /// <summary>Scores every fold's combined forecasts on the targets in its held-out blocks and fits the offsets on all of them.</summary>
    private static IntervalCalibration Calibrate(QuantileLayout layout, float[][][] outputs, ForecastDataset[] data,
        List<TargetBlock[]> folds, ForecasterSettings options)
    {
        int H = data[0].Horizon, width = H * layout.Count, rows = data.Sum(d => d.Rows), F = folds.Count;
        var values = new double[F * rows * width];
        var targets = new float[F * rows * width];
        for (int f = 0; f < F; f++)
        {
            ForecastTrainer.HoldoutTargets(data, folds[f], layout.Count).CopyTo(targets, f * rows * width);
            for (int i = 0; i < rows; i++)
                if (HasPair(targets.AsSpan((f * rows + i) * width, width)))   // ConformalCalibration.Fit reads no other row
                    layout.Combine(outputs[f], i * width, H, values.AsSpan((f * rows + i) * width, width));
        }
        options.Log?.Invoke(
            $"calibration: {F} fold(s), held-out blocks " +
            $"{string.Join(" | ", folds.Select(l => string.Join(", ", l.Select(b => $"[{b.Start}, {b.End})"))))}");
        return ConformalCalibration.Fit(layout, values, targets, F * rows, H, options.Model.CalibrationTails);
    }

    private static bool HasPair(ReadOnlySpan<float> row)
    {
        foreach (float t in row) if (float.IsFinite(t)) return true;
        return false;
    }
}
