using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// A trained LSTM forecaster: a stateful LSTM runs over the (transformed) series from its first value and,
/// at every step, predicts the quantiles of the next H values directly (many-to-many head, H × Q outputs,
/// pinball loss). The point forecast is the median; intervals are the calibrated outer quantiles. See
/// <see cref="SeriesTransform"/> for the preprocessing and <see cref="ForecastEngine"/> for streaming.
/// </summary>
/// <example>
/// <code>
/// var model = LstmForecaster.Train(series, new ForecasterSettings { Model = { Horizon = 24, SeasonalPeriod = 12 } });
/// var engine = model.CreateEngine(series);
/// ForecastResult f = engine.Forecast();       // f.Point, f.Lower(0.95), f.Upper(0.95)
/// engine.Update(newValue);                    // one LSTM step per ensemble member
/// </code>
/// </example>
internal sealed class LstmForecaster
{
    internal LstmForecaster(ForecasterSettings options, SeriesTransform transform, SmoothingBaseline smoothing, ForecastNetwork[] members,
        IntervalCalibration calibration, ForecastTrainingReport? report)
    {
        Options = options;
        Transform = transform;
        Smoothing = smoothing;
        Members = members;
        Calibration = calibration;
        Report = report;
        Layout = new QuantileLayout(options);
    }

    /// <summary>The settings the model was trained with.</summary>
    public ForecasterSettings Options { get; }

    /// <summary>Preprocessing parameters.</summary>
    public SeriesTransform Transform { get; }

    /// <summary>The exponential smoothing the LSTM is combined with (see <see cref="SmoothingCombination"/>).</summary>
    public SmoothingBaseline Smoothing { get; }

    /// <summary>The weight of <see cref="Smoothing"/> in the combined forecast.</summary>
    public double SmoothingWeight => Options.Model.ExponentialSmoothingWeight ?? 0;

    /// <summary>Interval offsets from the holdout.</summary>
    public IntervalCalibration Calibration { get; }

    /// <summary>How training went (null for a model rebuilt from data).</summary>
    public ForecastTrainingReport? Report { get; }

    /// <summary>H, the steps forecast from every origin.</summary>
    public int Horizon => Options.Horizon;

    /// <summary>The quantile levels the networks predict, ascending.</summary>
    public IReadOnlyList<double> QuantileLevels => Layout.Levels;

    internal ForecastNetwork[] Members { get; }

    internal QuantileLayout Layout { get; }

    /// <summary>Trains a forecaster on a series.</summary>
    /// <param name="series">The series in time order, at least windowSize + horizon values, no NaN.</param>
    /// <param name="options">Settings (copied).</param>
    /// <param name="exogenous">Covariates [N × E] row-major when <see cref="ForecasterSettings.ExogenousCount"/> = E &gt; 0.</param>
    /// <param name="cancellation">Checked before every batch.</param>
    /// <exception cref="ArgumentException">The series is too short, holds NaN, or the covariates do not fit.</exception>
    public static LstmForecaster Train(ReadOnlySpan<double> series, ForecasterSettings options, ReadOnlySpan<double> exogenous = default,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        SeriesChecks.Series(series, nameof(series));
        SeriesChecks.TrainingLength(series.Length, options, nameof(series));
        SeriesChecks.Exogenous(exogenous, series.Length, options.ExogenousCount, nameof(exogenous));
        double[] y = series.ToArray();
        options = ResolveSeason(options.Clone(), [y]);
        var fit = EnsembleTrainer.Train([y], [exogenous.ToArray()], options, cancellation);
        options.Model.ExponentialSmoothingWeight = fit.SmoothingWeight;
        return new LstmForecaster(options, fit.Transforms[0], fit.Smoothing[0], fit.Members, fit.Calibration, fit.Report);
    }

    /// <summary>
    /// Trains a global model: one ensemble of networks over many series, each with its own
    /// <see cref="SeriesTransform"/> (per-series log, scale, drift and level), so series of very different
    /// levels and scales share what they have in common. See <see cref="GlobalLstmForecaster"/>.
    /// </summary>
    /// <param name="series">The series, each in time order, at least windowSize + horizon values, no NaN.</param>
    /// <param name="options">Settings (copied), shared by all series (the same
    /// <see cref="LstmForecastingOptions.SeasonalPeriod"/> for all).</param>
    /// <param name="exogenous">Per series, covariates [N × E] row-major when
    /// <see cref="ForecasterSettings.ExogenousCount"/> = E &gt; 0.</param>
    /// <param name="cancellation">Checked before every batch.</param>
    /// <exception cref="ArgumentException">The list is empty, or a series is too short, holds NaN, or its covariates do not fit (the
    /// message names the series index).</exception>
    public static GlobalLstmForecaster TrainGlobal(IReadOnlyList<double[]> series, ForecasterSettings options,
        IReadOnlyList<double[]>? exogenous = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        SeriesChecks.SeriesList(series, exogenous, options, nameof(series));
        options = ResolveSeason(options.Clone(), series);
        var fit = EnsembleTrainer.Train(series, exogenous ?? series.Select(_ => Array.Empty<double>()).ToArray(), options, cancellation);
        options.Model.ExponentialSmoothingWeight = fit.SmoothingWeight;
        return new GlobalLstmForecaster(options, fit.Transforms, fit.Smoothing, fit.Members, fit.Calibration, fit.Report);
    }

    /// <summary>
    /// Fills in the seasonal periods the caller left open (null) with those <see cref="SeasonalityDetector"/> finds: the
    /// clearest period (<see cref="SeasonalityDetector.Detect"/>; for a global model the one most of the series show, the
    /// smaller on a tie, 0 when most show none) and, for one series, the other periods it shows, shorter or longer (none
    /// for a global model). Returns <paramref name="options"/>.
    /// </summary>
    /// <exception cref="ArgumentException">SeasonalDifferencing is On and no period was given or found, or the additional
    /// periods given include the period found.</exception>
    private static ForecasterSettings ResolveSeason(ForecasterSettings options, IReadOnlyList<double[]> series)
    {
        var model = options.Model;
        var (clearest, found) = series.Count == 1 && (model.SeasonalPeriod is null || model.AdditionalSeasonalPeriods is null)
            ? SeasonalityDetector.DetectSeasons(series[0])
            : (0, []);
        if (model.SeasonalPeriod is null)
        {
            int period = series.Count == 1 ? clearest
                : series.Select(y => SeasonalityDetector.Detect(y)).GroupBy(p => p)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
            model.SeasonalPeriod = period;
            options.Log?.Invoke(period >= 2 ? $"seasonal period {period} found in the training rows"
                : "no seasonal period found in the training rows");
            if (model.SeasonalDifferencing == AutoSwitch.On && period < 2)
                throw new ArgumentException(
                    "SeasonalDifferencing is On but no seasonal period was given and none was found in the training rows; " +
                    "set SeasonalPeriod.",
                    nameof(LstmForecastingOptions.SeasonalDifferencing));
        }
        if (model.AdditionalSeasonalPeriods is null)
        {
            model.AdditionalSeasonalPeriods = [.. found.Where(p => p != model.SeasonalPeriod)];
            if (model.AdditionalSeasonalPeriods.Length > 0)
                options.Log?.Invoke(
                    $"additional seasonal periods {string.Join(", ", model.AdditionalSeasonalPeriods)} found in the training rows");
        }
        try { model.ValidateModel(); }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == nameof(LstmForecastingOptions.AdditionalSeasonalPeriods))
        {
            throw new ArgumentException(
                $"The seasonal period {model.SeasonalPeriod} found in the training rows is one of AdditionalSeasonalPeriods " +
                $"({string.Join(", ", model.AdditionalSeasonalPeriods)}): set SeasonalPeriod as well.",
                nameof(LstmForecastingOptions.AdditionalSeasonalPeriods), e);
        }
        return options;
    }

    /// <summary>An engine that has run over <paramref name="series"/> (from its first value) and forecasts from its end.</summary>
    /// <param name="series">The history, more than ℓ values (ℓ = <see cref="SeriesTransform.Lag"/>).</param>
    /// <param name="exogenous">Its covariates [N × E], row-major.</param>
    /// <exception cref="ArgumentException">The history is too short, not finite,
    /// not positive for a logged model, or the covariates do not fit.</exception>
    public ForecastEngine CreateEngine(ReadOnlySpan<double> series, ReadOnlySpan<double> exogenous = default)
    {
        SeriesChecks.Series(series, nameof(series));
        SeriesChecks.Positive(series, Transform, nameof(series));
        SeriesChecks.Exogenous(exogenous, series.Length, Transform.ExogenousCount, nameof(exogenous));
        int N = series.Length, lag = Transform.Lag, E = Transform.ExogenousCount, width = Horizon * Layout.Count;
        if (N <= lag)
            throw new ArgumentException($"The history has {N} values; the model needs more than {lag} (its baseline lag).", nameof(series));
        var x = new double[N];
        for (int t = 0; t < N; t++) x[t] = Transform.ToModel(series[t]);
        // Only the inputs, and the network chunk by chunk: memory does not grow with the history beyond x and the inputs.
        var inputs = ForecastDataset.InputRows(Transform, x, exogenous);
        int overflow = Array.FindIndex(inputs, v => !float.IsFinite(v));
        if (overflow >= 0)
        {
            int largest = 0;
            for (int t = 1; t < N; t++) if (Math.Abs(series[t]) > Math.Abs(series[largest])) largest = t;
            throw new ArgumentException(
                $"The history is beyond what the model can take in: scaled for the network, input {overflow % Transform.InputSize} of " +
                $"step {overflow / Transform.InputSize} is {inputs[overflow]} (the largest value is {series[largest]}, at index " +
                $"{largest}). Values must stay within the range the series was trained on by orders of magnitude.", nameof(series));
        }
        var hidden = new float[Members.Length][];
        var cell = new float[Members.Length][];
        var output = new float[Members.Length][];
        for (int k = 0; k < Members.Length; k++)
        {
            var ws = Members[k].Net.CreateWorkspace();
            var batch = new SequenceBatch<float>(N - lag, 1, Transform.InputSize, inputs);
            output[k] = new ChunkedInference<float>(Members[k].Net).LastStep(ws, batch, width).ToArray();
            hidden[k] = ws.FinalHidden.ToArray();
            cell[k] = ws.FinalCell.ToArray();
        }
        var smoothing = Smoothing.Run(x);
        return new ForecastEngine(this, new ForecastEngineState(N, x[(N - lag)..], exogenous[((N - lag) * E)..].ToArray(), hidden, cell,
            output, smoothing.ToArray()));
    }

    /// <summary>
    /// Checks that <paramref name="state"/> fits this model (sizes, member count, finite values) without building an engine.
    /// </summary>
    /// <exception cref="ArgumentException">The state does not fit this model.</exception>
    public void CheckState(ForecastEngineState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        int lag = Transform.Lag, E = Transform.ExogenousCount, K = Members.Length;
        int stateLength = Options.Model.NumberOfLayers * Options.Model.HiddenSize, width = Horizon * Layout.Count;
        if (state.Count <= lag)
            throw new ArgumentException($"The engine needs more than {lag} observations; the state has {state.Count}.", nameof(state));
        Check(state.RecentValues?.Length == lag, $"RecentValues must hold the last {lag} values.");
        Check(state.RecentExogenous?.Length == lag * E, $"RecentExogenous must hold {lag} × {E} values.");
        Check(state.Hidden?.Length == K && state.Cell?.Length == K && state.Output?.Length == K,
            $"The state must hold {K} ensemble members.");
        for (int k = 0; k < K; k++)
            Check(state.Hidden![k]?.Length == stateLength && state.Cell![k]?.Length == stateLength && state.Output![k]?.Length == width,
                $"Member {k} needs h and c of {stateLength} values and an output of {width}.");
        foreach (double v in state.RecentValues!) Check(double.IsFinite(v), "RecentValues holds a non-finite value.");
        Check(state.Smoothing?.Length == 2 + Smoothing.Memory && state.Smoothing.All(double.IsFinite),
            $"Smoothing must hold a finite level and trend and the last {Smoothing.Memory} adjusted values.");

        static void Check(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message, nameof(state));
        }
    }

    /// <summary>An engine that continues from a saved <see cref="ForecastEngineState"/>.</summary>
    /// <exception cref="ArgumentException">The state does not fit this model.</exception>
    public ForecastEngine RestoreEngine(ForecastEngineState state) => new(this, state);

    /// <summary>The model as plain values (see <see cref="LstmForecasterData"/>).</summary>
    public LstmForecasterData ToData() => new(Options.Clone(), Transform, Smoothing,
        Members.Select(m => m.Net.Parameters.Values.ToArray()).ToArray(),
        Members.Select(m => m.Exogenous.Values.ToArray()).ToArray(),
        [.. Calibration.Offsets], Calibration.WidthsNeverNarrow);

    /// <summary>Rebuilds a model from <see cref="ToData"/>'s values.</summary>
    /// <exception cref="ArgumentException">The values are inconsistent with each other.</exception>
    public static LstmForecaster FromData(LstmForecasterData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(data.Options, nameof(data.Options));
        ArgumentNullException.ThrowIfNull(data.Transform, nameof(data.Transform));
        ArgumentNullException.ThrowIfNull(data.Smoothing, nameof(data.Smoothing));
        var options = data.Options.Clone();
        options.Validate();
        if (data.Transform.ExogenousCount != options.ExogenousCount)
            throw new ArgumentException(
                $"The transform has {data.Transform.ExogenousCount} exogenous features; the options say {options.ExogenousCount}.",
                nameof(data));
        var layout = new QuantileLayout(options);
        var spec = ForecastNetwork.SpecFor(options, data.Transform, layout.Count);
        if (data.NetworkParameters is not { Length: > 0 } || data.ExogenousCoefficients?.Length != data.NetworkParameters.Length)
            throw new ArgumentException("NetworkParameters must hold at least one member, and ExogenousCoefficients one entry per member.",
                nameof(data));
        var members = new ForecastNetwork[data.NetworkParameters.Length];
        for (int k = 0; k < members.Length; k++)
        {
            var net = new ForecastNetwork(spec, options.Horizon, layout.Count, options.ExogenousCount, options.NumberOfThreads);
            Copy(data.NetworkParameters[k], net.Net.Parameters.Values, $"NetworkParameters[{k}]");
            Copy(data.ExogenousCoefficients[k], net.Exogenous.Values, $"ExogenousCoefficients[{k}]");
            members[k] = net;
        }
        var calibration = IntervalCalibration.FromOffsets(options.Horizon,
            options.ConfidenceLevels.Length, data.CalibrationOffsets, nameof(data.CalibrationOffsets), data.WidthsNeverNarrow);
        return new LstmForecaster(options, data.Transform, data.Smoothing, members, calibration, report: null);
    }

    private static void Copy(float[]? source, float[] target, string name)
    {
        if (source?.Length != target.Length)
            throw new ArgumentException($"{name} has {source?.Length ?? 0} values; the network needs {target.Length}.", "data");
        foreach (float v in source) if (!float.IsFinite(v)) throw new ArgumentException($"{name} holds a non-finite value.", "data");
        source.CopyTo(target, 0);
    }
}
