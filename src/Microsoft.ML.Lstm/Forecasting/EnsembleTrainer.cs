using System.Diagnostics;
using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>What <see cref="EnsembleTrainer"/> produced: one transform per series and the shared members.</summary>
internal sealed record EnsembleFit(SeriesTransform[] Transforms, ForecastNetwork[] Members,
    IntervalCalibration Calibration, ForecastTrainingReport Report, SmoothingBaseline[] Smoothing, double SmoothingWeight);

/// <summary>What <see cref="EnsembleTrainer.HoldoutObserver"/> is told.</summary>
internal sealed record HoldoutSnapshot(ForecastDataset Data, double[] ModelSpace, TargetBlock Block, int[] Periods, double[] Medians);

/// <summary>
/// Trains a forecaster on one series or, for a global model, on several at once: fits a
/// <see cref="SeriesTransform"/> per series (with one network input layout for all, see
/// <see cref="FitTransforms"/>); holds out the targets of each series' last max(H, fraction·N) steps;
/// trains each ensemble member on the rest of all series (with early stopping on the pooled holdout when
/// enabled; then, with <see cref="LstmForecastingOptions.Refit"/>, again on the whole series); chooses the weight of
/// the exponential smoothing forecast on the holdout (<see cref="SmoothingCombination"/>) and calibrates the intervals
/// of the combination on the members' combined holdout forecasts, pooled over series (they are in units of
/// each series' scale), and with <see cref="LstmForecastingOptions.CalibrationFolds"/> &gt; 1 also on those
/// of ensembles that hold out earlier blocks (<see cref="ConformalCalibration.FoldBlocks"/>).
/// </summary>
internal static class EnsembleTrainer
{
    /// <summary>
    /// Benchmarks only (benchmarks/ForecastAccuracy <c>--lab</c>): told, for every single-series fit with a holdout, the
    /// members' combined holdout medians (network targets r, [rows × H], NaN where no target is held out) before the
    /// statistical forecast is combined with them, so other statistical forecasts can be compared on the same networks.
    /// </summary>
    internal static Action<HoldoutSnapshot>? HoldoutObserver;

    /// <summary>Trains on already checked series and covariates ([N × E] row-major each).</summary>
    public static EnsembleFit Train(IReadOnlyList<double[]> series, IReadOnlyList<double[]> exogenous,
        ForecasterSettings options, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        int S = series.Count, H = options.Horizon, K = options.Model.EnsembleSize;
        var transforms = FitTransforms(series, exogenous, options);
        var data = new ForecastDataset[S];
        var modelSpace = new double[S][];
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
            modelSpace[j] = y.Select(transform.ToModel).ToArray();
            data[j] = new ForecastDataset(transform, modelSpace[j], exogenous[j], H);
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
        var histories = new IReadOnlyList<EpochProgress>[K];
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
            (epochs[k], losses[k], histories[k]) = (fit.Epochs, fit.HoldoutLoss, fit.History);
            if (validate && options.Model.Refit)
                ForecastTrainer.Fit(net, data, data.Select(d => TargetBlock.None(d.Length)).ToArray(),
                    options, loss, seed, fit.Epochs, holdout: false, cancellation);
            members[k] = net;
        });

        int[] periods = [options.Model.SeasonalPeriod ?? 0, .. options.Model.AdditionalSeasonalPeriods ?? []];
        double weight = options.Model.ExponentialSmoothingWeight ?? SmoothingCombination.Default;
        var calibration = IntervalCalibration.None(layout.ConfidenceLevels.Length, H);
        if (validate)
        {
            var pairs = HoldoutPairs(layout, outputs, data, modelSpace, folds, periods, options);
            Observe(data, modelSpace, folds, periods, layout, pairs);
            weight = ChooseWeight(pairs, layout, options);
            for (int p = 0; p < pairs.Smoothing.Length; p++)
                SmoothingCombination.Shift(pairs.Values.AsSpan(p * layout.Count, layout.Count), layout.Median, pairs.Smoothing[p], weight);
            if (options.Model.CalibrateIntervals)
                calibration = ConformalCalibration.Fit(layout, pairs.Values, pairs.Targets, pairs.Rows, H, options.Model.CalibrationTails);
        }
        if (!validate) Observe(data, modelSpace, folds, periods, layout, pairs: null);
        if (!validate && options.Model.CalibrateIntervals && options.Model.ValidationFraction > 0)
        {
            calibration = BaselineSpread.Fit(layout, members, data);
            options.Log?.Invoke("no holdout (too few rows): intervals widened to at least the spread of the baseline's errors");
        }
        var smoothing = modelSpace.Select((x, j) => SmoothingBaseline.Fit(x, periods, transforms[j].Lag)).ToArray();
        for (int j = 0; j < S; j++) options.Log?.Invoke($"series {j} statistical forecast: {smoothing[j]}");
        var report = new ForecastTrainingReport(heldOut, epochs, losses, histories, clock.Elapsed.TotalSeconds);
        options.Log?.Invoke($"trained {K} member(s) on {S} series in {report.Seconds:F1} s; epochs {string.Join(", ", epochs)}");
        return new EnsembleFit(transforms, members, calibration, report, smoothing, weight);
    }

    /// <summary>
    /// Every fold's held-out (origin, horizon) pairs, all series' rows concatenated per fold: the members' combined quantiles
    /// [pairs × Q] (only where a target is held out), the targets (each repeated Q times, NaN where not held out) and the
    /// smoothing forecasts [pairs] (<see cref="SmoothingCombination.HoldoutForecasts"/>).
    /// </summary>
    private sealed record Pairs(double[] Values, float[] Targets, double[] Smoothing, int Rows);

    private static Pairs HoldoutPairs(QuantileLayout layout, float[][][] outputs, ForecastDataset[] data, double[][] modelSpace,
        List<TargetBlock[]> folds, int[] periods, ForecasterSettings options)
    {
        int H = data[0].Horizon, Q = layout.Count, width = H * Q, rows = data.Sum(d => d.Rows), F = folds.Count;
        var values = new double[F * rows * width];
        var targets = new float[F * rows * width];
        var smoothing = new double[F * rows * H];
        for (int f = 0; f < F; f++)
        {
            ForecastTrainer.HoldoutTargets(data, folds[f], Q).CopyTo(targets, f * rows * width);
            for (int i = 0; i < rows; i++)
                if (HasPair(targets.AsSpan((f * rows + i) * width, width)))   // ConformalCalibration.Fit reads no other row
                    layout.Combine(outputs[f], i * width, H, values.AsSpan((f * rows + i) * width, width));
            int offset = f * rows * H;
            for (int j = 0; j < data.Length; j++)
            {
                SmoothingCombination.HoldoutForecasts(data[j], modelSpace[j], folds[f][j], periods).CopyTo(smoothing, offset);
                offset += data[j].Rows * H;
            }
        }
        options.Log?.Invoke(
            $"holdout: {F} fold(s), held-out blocks " +
            $"{string.Join(" | ", folds.Select(l => string.Join(", ", l.Select(b => $"[{b.Start}, {b.End})"))))}");
        return new Pairs(values, targets, smoothing, F * rows);
    }

    private static void Observe(ForecastDataset[] data, double[][] modelSpace, List<TargetBlock[]> folds, int[] periods,
        QuantileLayout layout, Pairs? pairs)
    {
        if (HoldoutObserver is not { } observe || data.Length != 1) return;
        var medians = new double[data[0].Rows * data[0].Horizon];
        for (int p = 0; p < medians.Length; p++)
            medians[p] = pairs is not null && float.IsFinite(pairs.Targets[p * layout.Count])
                ? pairs.Values[p * layout.Count + layout.Median] : double.NaN;
        observe(new HoldoutSnapshot(data[0], modelSpace[0], folds[0][0], periods, medians));
    }

    /// <summary>The option's weight, or the candidate that forecasts the holdout pairs best (logged either way).</summary>
    private static double ChooseWeight(Pairs pairs, QuantileLayout layout, ForecasterSettings options)
    {
        int Q = layout.Count, n = pairs.Smoothing.Length;
        var medians = new double[n];
        var targets = new float[n];
        for (int p = 0; p < n; p++) (medians[p], targets[p]) = (pairs.Values[p * Q + layout.Median], pairs.Targets[p * Q]);
        var (chosen, lstm, alone, combined) = SmoothingCombination.Choose(medians, pairs.Smoothing, targets);
        double weight = options.Model.ExponentialSmoothingWeight ?? chosen;
        options.Log?.Invoke(
            $"holdout mean absolute error (units of scale): LSTM {lstm:G4}, exponential smoothing {alone:G4}, best combination " +
            $"{combined:G4} at weight {chosen}; smoothing weight used {weight}" +
            (options.Model.ExponentialSmoothingWeight is null ? " (chosen)" : " (set)"));
        return weight;
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

    private static bool HasPair(ReadOnlySpan<float> row)
    {
        foreach (float t in row) if (float.IsFinite(t)) return true;
        return false;
    }
}
