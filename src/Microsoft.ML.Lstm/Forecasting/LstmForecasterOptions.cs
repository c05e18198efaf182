namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Settings of <see cref="LstmForecaster"/>: the model's side of <see cref="LstmForecastingOptions"/> (built by
/// <see cref="LstmForecastingOptions.ToSettings"/>, which documents each setting), plus what only the model needs:
/// several confidence levels, the covariate count, the resolved seed and a log callback. The defaults equal the
/// public options' (a test holds them together); how they were chosen is in <c>benchmarks/ForecastAccuracy/README.md</c>.
/// </summary>
internal sealed class LstmForecasterOptions
{
    /// <summary>Steps forecast from every origin, H. Default 12.</summary>
    public int Horizon { get; set; } = 12;

    /// <summary>Steps per training window whose losses count (the BPTT length beyond the warm-up). Default 48.</summary>
    public int WindowSize { get; set; } = 48;

    /// <summary>
    /// Steps run before a training window that starts inside the series, to build up the LSTM state; their
    /// losses do not count. Negative means <see cref="WindowSize"/>. Windows at the start of the series need
    /// none: there the zero state is the true state. Default −1.
    /// </summary>
    public int WarmupSteps { get; set; } = -1;

    /// <summary>Seasonal period m (12 for monthly data); 0 or 1 means none. Default 0.</summary>
    public int SeasonalPeriod { get; set; }

    /// <summary>Model log(y) instead of y (needs a positive series). Default <see cref="AutoSwitch.Auto"/>.</summary>
    public AutoSwitch LogTransform { get; set; } = AutoSwitch.Auto;

    /// <summary>Box–Cox power transform of a non-negative series when log is not used (λ by Guerrero's method). Default Off.</summary>
    public AutoSwitch PowerTransform { get; set; } = AutoSwitch.Off;

    /// <summary>
    /// Forecast relative to the value one season back (seasonal differencing) instead of the last value.
    /// Needs <see cref="SeasonalPeriod"/> ≥ 2. Default <see cref="AutoSwitch.Auto"/>.
    /// </summary>
    public AutoSwitch SeasonalDifferencing { get; set; } = AutoSwitch.Auto;

    /// <summary>
    /// Feed the standardized level of the series to the network besides its differences (useful for
    /// mean-reverting series, harmful for trending ones). Auto: on when not seasonally differenced.
    /// </summary>
    public AutoSwitch LevelInput { get; set; } = AutoSwitch.Auto;

    /// <summary>Nominal coverages of the prediction intervals, each in (0, 1). Default 0.80 and 0.95.</summary>
    public double[] ConfidenceLevels { get; set; } = [0.80, 0.95];

    /// <summary>Exogenous (known future) covariates per step, E. Default 0.</summary>
    public int ExogenousCount { get; set; }

    /// <summary>LSTM hidden units. Default 16.</summary>
    public int HiddenSize { get; set; } = 16;

    /// <summary>Stacked LSTM layers. Default 1.</summary>
    public int NumberOfLayers { get; set; } = 1;

    /// <summary>Training epochs (passes over the training windows); an upper bound with early stopping. Default 100.</summary>
    public int NumberOfEpochs { get; set; } = 100;

    /// <summary>
    /// With &gt; 0, stop after this many epochs without a better holdout loss and keep the best epoch's
    /// weights. Default 0 (off): on short series a single holdout is too noisy to pick epochs from.
    /// </summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>Windows per gradient step. Default 16.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>Adam learning rate. Default 3e-3.</summary>
    public double LearningRate { get; set; } = 3e-3;

    /// <summary>Decoupled (AdamW) weight decay; it pulls the network towards the seasonal-naive-with-drift baseline. Default 1e-4.</summary>
    public double WeightDecay { get; set; } = 1e-4;

    /// <summary>
    /// Decay d of the moving average of the weights over gradient steps (ā ← d·ā + (1 − d)·θ) that is
    /// evaluated and kept; 0 keeps the raw weights. Default 0.9.
    /// </summary>
    public double WeightAveraging { get; set; } = 0.9;

    /// <summary>Clip gradients to this global L2 norm. Default 1.</summary>
    public double GradientClipNorm { get; set; } = 1.0;

    /// <summary>
    /// Share of the series held out at its end (at least <see cref="Horizon"/> steps): its targets are never
    /// trained on; it calibrates the intervals (and drives early stopping when enabled). 0 turns it off.
    /// Default 0.1.
    /// </summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>
    /// After training with a holdout, retrain on the whole series (for the chosen number of epochs). The
    /// calibration then comes from a different model than the one that forecasts. Default false.
    /// </summary>
    public bool Refit { get; set; }

    /// <summary>Widen the intervals so that they cover the holdout at the nominal rates (conformalized quantile regression; offsets never narrow them). Default true.</summary>
    public bool CalibrateIntervals { get; set; } = true;

    /// <summary>Whether the calibration moves the two ends of an interval separately. Default Separate.</summary>
    public CalibrationTails CalibrationTails { get; set; } = CalibrationTails.Separate;

    /// <summary>Calibration folds F (blocked cross-validation, see <see cref="ConformalCalibration.FoldBlocks"/>). Default 1.</summary>
    public int CalibrationFolds { get; set; } = 1;

    /// <summary>Networks trained from different seeds whose forecasts are combined. Default 16.</summary>
    public int EnsembleSize { get; set; } = 16;

    /// <summary>How the members' quantiles combine into the interval bounds. Default Mixture.</summary>
    public EnsembleIntervals EnsembleIntervals { get; set; } = EnsembleIntervals.Mixture;

    /// <summary>Seed of initialization and window sampling; the same seed and data give the same model. Default 0.</summary>
    public ulong Seed { get; set; }

    /// <summary>
    /// Ensemble members train in parallel on up to this many threads (each network runs single-threaded:
    /// these networks are too small to gain from splitting). Results do not depend on it. Default 1.
    /// </summary>
    public int NumberOfThreads { get; set; } = 1;

    /// <summary>Receives progress lines, possibly from several threads at once (not stored with the model).</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Effective warm-up length.</summary>
    public int Warmup => WarmupSteps < 0 ? WindowSize : WarmupSteps;

    /// <summary>
    /// The quantile levels the network predicts, ascending: 0.5 and (1 ∓ c)/2 for every confidence level c.
    /// </summary>
    public double[] QuantileLevels()
    {
        var levels = new SortedSet<double> { 0.5 };
        foreach (double c in ConfidenceLevels.Select(Forecasting.ConfidenceLevels.Normalize)) { levels.Add(Math.Round((1 - c) / 2, 12)); levels.Add(Math.Round((1 + c) / 2, 12)); }
        return [.. levels];
    }

    /// <summary>A copy (the <see cref="Log"/> callback is shared).</summary>
    public LstmForecasterOptions Clone()
    {
        var c = (LstmForecasterOptions)MemberwiseClone();
        c.ConfidenceLevels = (double[])ConfidenceLevels.Clone();
        return c;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Positive(Horizon, nameof(Horizon));
        Positive(WindowSize, nameof(WindowSize));
        if (SeasonalPeriod < 0) throw new ArgumentOutOfRangeException(nameof(SeasonalPeriod), SeasonalPeriod, "SeasonalPeriod must be ≥ 0 (0 or 1 = none).");
        foreach (var (value, name) in new[] { (LogTransform, nameof(LogTransform)), (PowerTransform, nameof(PowerTransform)), (SeasonalDifferencing, nameof(SeasonalDifferencing)), (LevelInput, nameof(LevelInput)) })
            if (!Enum.IsDefined(value)) throw new ArgumentOutOfRangeException(name, value, $"Unknown {name} setting.");
        if (!Enum.IsDefined(CalibrationTails)) throw new ArgumentOutOfRangeException(nameof(CalibrationTails), CalibrationTails, $"Unknown {nameof(CalibrationTails)} setting.");
        if (!Enum.IsDefined(EnsembleIntervals)) throw new ArgumentOutOfRangeException(nameof(EnsembleIntervals), EnsembleIntervals, $"Unknown {nameof(EnsembleIntervals)} setting.");
        if (LogTransform == AutoSwitch.On && PowerTransform == AutoSwitch.On)
            throw new ArgumentException("LogTransform and PowerTransform are both On; choose one (log is the Box–Cox power with λ = 0).", nameof(PowerTransform));
        if (SeasonalDifferencing == AutoSwitch.On && SeasonalPeriod < 2)
            throw new ArgumentException("SeasonalDifferencing is On but SeasonalPeriod is below 2; set the period (e.g. 12 for monthly data).", nameof(SeasonalDifferencing));
        ArgumentNullException.ThrowIfNull(ConfidenceLevels, nameof(ConfidenceLevels));
        foreach (double c in ConfidenceLevels)
            if (!(c > 0 && c < 1)) throw new ArgumentOutOfRangeException(nameof(ConfidenceLevels), c, "Every confidence level must lie strictly between 0 and 1.");
        if (ConfidenceLevels.Select(Forecasting.ConfidenceLevels.Normalize).Distinct().Count() != ConfidenceLevels.Length) throw new ArgumentException("ConfidenceLevels holds a level twice.", nameof(ConfidenceLevels));
        if (ExogenousCount < 0) throw new ArgumentOutOfRangeException(nameof(ExogenousCount), ExogenousCount, "ExogenousCount must be ≥ 0.");
        Positive(HiddenSize, nameof(HiddenSize));
        Positive(NumberOfLayers, nameof(NumberOfLayers));
        Positive(NumberOfEpochs, nameof(NumberOfEpochs));
        if (EarlyStoppingPatience < 0) throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "EarlyStoppingPatience must be ≥ 0 (0 = off).");
        if (EarlyStoppingPatience > 0 && ValidationFraction == 0)
            throw new ArgumentException("EarlyStoppingPatience needs a holdout: set ValidationFraction > 0, or EarlyStoppingPatience = 0.", nameof(EarlyStoppingPatience));
        Positive(BatchSize, nameof(BatchSize));
        Positive(EnsembleSize, nameof(EnsembleSize));
        Positive(CalibrationFolds, nameof(CalibrationFolds));
        Positive(NumberOfThreads, nameof(NumberOfThreads));
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be positive and finite.");
        if (!(WeightDecay >= 0 && double.IsFinite(WeightDecay))) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "WeightDecay must be ≥ 0 and finite.");
        if (!(WeightAveraging >= 0 && WeightAveraging < 1)) throw new ArgumentOutOfRangeException(nameof(WeightAveraging), WeightAveraging, "WeightAveraging must be in [0, 1).");
        if (!(GradientClipNorm > 0 && double.IsFinite(GradientClipNorm))) throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), GradientClipNorm, "GradientClipNorm must be positive and finite.");
        if (!(ValidationFraction >= 0 && ValidationFraction < 0.5)) throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "ValidationFraction must be in [0, 0.5).");
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
    }
}
