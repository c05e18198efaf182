using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Settings of <c>mlContext.Forecasting.ForecastByLstm</c>. The column and window settings carry
/// <c>ForecastBySsa</c>'s names; the rest configure the model: preprocessing, network, training, ensemble and
/// intervals. Every setting is used as given; <see cref="Validate"/> reports settings that contradict each other.
/// </summary>
public sealed class LstmForecastingOptions
{
    /// <summary>Output column: a vector of <see cref="Horizon"/> forecasts. Default "Forecast".</summary>
    public string OutputColumnName { get; set; } = "Forecast";

    /// <summary>The series: a Single column, one value per row, in time order. Default "Value".</summary>
    public string InputColumnName { get; set; } = "Value";

    /// <summary>
    /// Steps of each training sequence whose forecasts are scored (the window backpropagated through), ≥ 2. Default 48.
    /// </summary>
    public int WindowSize { get; set; } = 48;

    /// <summary>
    /// Longest training sequence, ≥ <see cref="WindowSize"/>: each scored window is preceded by up to
    /// <c>SeriesLength − WindowSize</c> warm-up steps that only build up the LSTM state (fewer near the start of the
    /// series, where the zero state is the true state). <c>ForecastBySsa</c>'s samples pass <see cref="TrainSize"/>
    /// here, which gives a warm-up of <c>TrainSize − WindowSize</c> steps; from <c>TrainSize + WindowSize</c> on, every
    /// window runs from the first row. Default 96.
    /// </summary>
    public int SeriesLength { get; set; } = 96;

    /// <summary>
    /// Number of leading rows trained on, at least <see cref="WindowSize"/> + <see cref="Horizon"/>; the model's state
    /// then sits at the end of them. With <see cref="SeriesKeyColumnName"/>, the number of leading rows of every series.
    /// </summary>
    public int TrainSize { get; set; }

    /// <summary>Steps forecast from every point. Default 12.</summary>
    public int Horizon { get; set; } = 12;

    /// <summary>
    /// Nominal coverage of the interval in the bound columns, in (0, 1). Intervals never narrow with the horizon: each
    /// bound stays at least as far below or above the median as at the step before (in the model's space, after the log
    /// or power transform), as the prediction intervals of linear models do. Default 0.95.
    /// </summary>
    public float ConfidenceLevel { get; set; } = 0.95f;

    /// <summary>Column for the lower bounds (vector of Horizon), or null for none.</summary>
    public string? ConfidenceLowerBoundColumn { get; set; }

    /// <summary>Column for the upper bounds (vector of Horizon), or null for none.</summary>
    public string? ConfidenceUpperBoundColumn { get; set; }

    /// <summary>
    /// Known covariates: Single columns read at every row. For forecast steps whose covariates are not given
    /// (Transform, or an engine Predict without future rows), the last observed values are held.
    /// </summary>
    public string[] ExogenousColumnNames { get; set; } = [];

    /// <summary>
    /// For a global model over many series: a text or key column naming the series of each row. The rows of every
    /// series are in time order (series may be interleaved); one model with per-series scaling is trained on the
    /// first <see cref="TrainSize"/> rows of each series, and Transform forecasts each row from its own series'
    /// state. Null (default): the whole column is one series.
    /// </summary>
    public string? SeriesKeyColumnName { get; set; }

    /// <summary>
    /// Seasonal period m (12 for monthly data); 0 or 1 means none. Null (default): found from the training rows by their
    /// autocorrelation (for a global model, the period most series show); the trained transformer's
    /// <see cref="LstmForecastingTransformer.Options"/> report the period used, and <c>MLContext.Log</c> names it.
    /// </summary>
    public int? SeasonalPeriod { get; set; }

    /// <summary>
    /// Weight in [0, 1] of the statistical forecast that the LSTM's forecast is combined with: the mean of damped-trend
    /// exponential smoothing, ETS(A,Ad,N), and an autoregression on the first differences, ARIMA(p,1,0) with p ≤ 10 by AIC
    /// and a drift when significant, both on the seasonally adjusted series (classical decomposition at the seasonal
    /// periods where R's <c>thetaf</c> finds a season, and at the LSTM's seasonal lag on fewer than four cycles, where that
    /// test has little power), fitted per series and carried along by the streaming engine. The whole
    /// predictive distribution is shifted to the combined point forecast, and the intervals are calibrated on the
    /// combination. 0 gives the LSTM alone, 1 the statistical forecast alone. Null (default): 0.25, 0.5 or 0.75,
    /// whichever forecasts the holdout best (0.5 without a holdout); the trained transformer's
    /// <see cref="LstmForecastingTransformer.Options"/> report the weight used, and <c>MLContext.Log</c> the holdout errors
    /// behind it.
    /// </summary>
    public double? ExponentialSmoothingWeight { get; set; }

    /// <summary>
    /// Seasonal periods besides <see cref="SeasonalPeriod"/> that the exponential smoothing adjusts for as well, shortest
    /// first: a shorter season inside it (the day, 48, in a week of 336 half-hours) or longer ones (365 beside 7 for daily
    /// data). Only the smoothing uses them: the LSTM's seasonal lag is <see cref="SeasonalPeriod"/>. Null (default): found
    /// from the training rows for a single series, the clearest period found (the highest autocorrelation peak: the week,
    /// 336, when the days of a week differ) becoming <see cref="SeasonalPeriod"/> when that is open too; none for a global
    /// model. The trained transformer's
    /// <see cref="LstmForecastingTransformer.Options"/> report the periods used. Empty: none.
    /// </summary>
    public int[]? AdditionalSeasonalPeriods { get; set; }

    /// <summary>Model log(y) instead of y (needs a positive series). Default <see cref="AutoSwitch.Auto"/>.</summary>
    public AutoSwitch LogTransform { get; set; } = AutoSwitch.Auto;

    /// <summary>
    /// When log is not used: model the Box–Cox power (y^λ − 1)/λ of a non-negative series, λ ∈ (0, 1) chosen by
    /// Guerrero's method on the training rows, so that the spread of the changes depends less on the level.
    /// Auto uses it when the level varies strongly between blocks of the series. Default <see cref="AutoSwitch.Off"/>.
    /// </summary>
    public AutoSwitch PowerTransform { get; set; } = AutoSwitch.Off;

    /// <summary>
    /// Forecast relative to the value one season back (seasonal differencing) instead of the last value. On needs a
    /// period of at least 2. Auto: when the season is evident (strong in a classical decomposition, or a clear
    /// autocorrelation peak at the period, as when it was found) and, on the end of the training rows, the seasonal naive
    /// forecast (with drift) beats the naive one over the horizon. Default <see cref="AutoSwitch.Auto"/>.
    /// </summary>
    public AutoSwitch SeasonalDifferencing { get; set; } = AutoSwitch.Auto;

    /// <summary>
    /// Feed the standardized level of the series to the network besides its differences (useful for mean-reverting
    /// series, harmful for trending ones). Auto: on when not seasonally differenced. Default <see cref="AutoSwitch.Auto"/>.
    /// </summary>
    public AutoSwitch LevelInput { get; set; } = AutoSwitch.Auto;

    /// <summary>LSTM hidden units. Default 16.</summary>
    public int HiddenSize { get; set; } = 16;

    /// <summary>Stacked LSTM layers. Default 1.</summary>
    public int NumberOfLayers { get; set; } = 1;

    /// <summary>Passes over the training windows; an upper bound with early stopping. Default 100.</summary>
    public int NumberOfEpochs { get; set; } = 100;

    /// <summary>
    /// With &gt; 0, stop after this many epochs without a better holdout loss and keep the best epoch's weights
    /// (needs <see cref="ValidationFraction"/> &gt; 0). Default 0 (off).
    /// </summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>Windows per gradient step. Default 16.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>Adam learning rate. Default 3e-3.</summary>
    public double LearningRate { get; set; } = 3e-3;

    /// <summary>
    /// Decoupled (AdamW) weight decay; it pulls the network towards the seasonal-naive-with-drift baseline. Default 1e-4.
    /// </summary>
    public double WeightDecay { get; set; } = 1e-4;

    /// <summary>
    /// Decay d of the moving average of the weights over gradient steps (ā ← d·ā + (1 − d)·θ) that is evaluated and
    /// kept, in [0, 1); 0 keeps the raw weights. Default 0.9.
    /// </summary>
    public double WeightAveraging { get; set; } = 0.9;

    /// <summary>Clip gradients to this global L2 norm, &gt; 0. Default 1.</summary>
    public double GradientClipNorm { get; set; } = 1.0;

    /// <summary>
    /// Share of the training rows held out at their end (at least <see cref="Horizon"/> steps), in [0, 0.5): their
    /// targets are never trained on; they calibrate the intervals (and drive early stopping when enabled). 0 turns
    /// the holdout off, and with it the calibration. Default 0.1.
    /// </summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>
    /// After training with a holdout, retrain on all training rows (for the chosen number of epochs). The calibration
    /// then comes from a different model than the one that forecasts. Default false.
    /// </summary>
    public bool Refit { get; set; }

    /// <summary>
    /// Widen the intervals so that they cover the holdout at the nominal rate (conformalized quantile regression;
    /// offsets never narrow them). A series too short to hold out <see cref="Horizon"/> steps (the holdout needs
    /// <see cref="Horizon"/> training rows before it) gets intervals at least as wide, below and above the median, as the
    /// spread of the seasonal naive (or naive) forecast's errors in its training rows. Default true.
    /// </summary>
    public bool CalibrateIntervals { get; set; } = true;

    /// <summary>
    /// Whether the calibration moves the two ends of an interval separately. Default <see cref="CalibrationTails.Separate"/>.
    /// </summary>
    public CalibrationTails CalibrationTails { get; set; } = CalibrationTails.Separate;

    /// <summary>
    /// Calibration folds F ≥ 1 (blocked cross-validation): besides the holdout at the end of the training rows, the
    /// ensemble is trained F − 1 more times, each time holding out an earlier block of the same length and training
    /// on every target before and after it, only to score its forecasts in that block for the interval calibration
    /// (fewer folds when the series is too short). About F times the training time; the forecasting networks are
    /// the same. Default 1.
    /// </summary>
    public int CalibrationFolds { get; set; } = 1;

    /// <summary>
    /// Networks trained from different seeds whose forecasts are combined, ≥ 1; more members make forecasts depend
    /// less on the seed, at proportional training time. Default 16.
    /// </summary>
    public int EnsembleSize { get; set; } = 16;

    /// <summary>
    /// How the members' quantiles combine into the interval bounds (the point forecast is always the average of the
    /// members' medians). Default <see cref="EnsembleIntervals.Mixture"/>.
    /// </summary>
    public EnsembleIntervals EnsembleIntervals { get; set; } = EnsembleIntervals.Mixture;

    /// <summary>
    /// Ensemble members train in parallel on up to this many threads; null or 0 uses all cores. Results do not
    /// depend on it.
    /// </summary>
    public int? NumberOfThreads { get; set; }

    /// <summary>
    /// Seed of initialization and window sampling; null uses the MLContext's seed (a fresh random seed when the MLContext
    /// has none). The same seed and data give the same model; the seed used is reported by the transformer's Options.
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputColumnName))
            throw new ArgumentException("OutputColumnName must be set.", nameof(OutputColumnName));
        if (string.IsNullOrWhiteSpace(InputColumnName))
            throw new ArgumentException("InputColumnName must be set.", nameof(InputColumnName));
        if (WindowSize < 2) throw new ArgumentOutOfRangeException(nameof(WindowSize), WindowSize, "WindowSize must be at least 2.");
        if (Horizon < 1) throw new ArgumentOutOfRangeException(nameof(Horizon), Horizon, "Horizon must be positive.");
        if (TrainSize < WindowSize + Horizon)
            throw new ArgumentOutOfRangeException(nameof(TrainSize), TrainSize,
                $"TrainSize must be at least WindowSize + Horizon ({WindowSize + Horizon}): the training rows must hold one scored " +
                "window and its targets.");
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "ConfidenceLevel must be in (0, 1).");
        ArgumentNullException.ThrowIfNull(ExogenousColumnNames, nameof(ExogenousColumnNames));
        foreach (var n in ExogenousColumnNames)
            if (string.IsNullOrWhiteSpace(n))
                throw new ArgumentException("ExogenousColumnNames holds an empty name.", nameof(ExogenousColumnNames));
        if (SeriesKeyColumnName is { } key
            && (string.IsNullOrWhiteSpace(key) || key == InputColumnName || ExogenousColumnNames.Contains(key)))
            throw new ArgumentException("SeriesKeyColumnName must be a non-empty name other than the series and covariate columns.",
                nameof(SeriesKeyColumnName));
        if (NumberOfThreads is < 0)
            throw new ArgumentOutOfRangeException(nameof(NumberOfThreads), NumberOfThreads,
                "NumberOfThreads must be ≥ 0 (0 or null = all cores).");
        ValidateModel();
    }

    /// <summary>The checks of the settings the model itself uses (not the columns or <see cref="TrainSize"/>).</summary>
    internal void ValidateModel()
    {
        Positive(Horizon, nameof(Horizon));
        Positive(WindowSize, nameof(WindowSize));
        if (SeriesLength < WindowSize)
            throw new ArgumentOutOfRangeException(nameof(SeriesLength), SeriesLength,
                $"SeriesLength must be at least WindowSize ({WindowSize}); pass TrainSize for a warm-up of TrainSize − WindowSize " +
                "steps.");
        if (SeasonalPeriod is < 0)
            throw new ArgumentOutOfRangeException(nameof(SeasonalPeriod), SeasonalPeriod, "SeasonalPeriod must be ≥ 0 (0 or 1 = none).");
        foreach (var (value, name) in new[] { (LogTransform, nameof(LogTransform)), (PowerTransform, nameof(PowerTransform)),
            (SeasonalDifferencing, nameof(SeasonalDifferencing)), (LevelInput, nameof(LevelInput)) })
            if (!Enum.IsDefined(value)) throw new ArgumentOutOfRangeException(name, value, $"Unknown {name} setting.");
        if (!Enum.IsDefined(CalibrationTails))
            throw new ArgumentOutOfRangeException(nameof(CalibrationTails), CalibrationTails,
                $"Unknown {nameof(CalibrationTails)} setting.");
        if (!Enum.IsDefined(EnsembleIntervals))
            throw new ArgumentOutOfRangeException(nameof(EnsembleIntervals), EnsembleIntervals,
                $"Unknown {nameof(EnsembleIntervals)} setting.");
        if (LogTransform == AutoSwitch.On && PowerTransform == AutoSwitch.On)
            throw new ArgumentException("LogTransform and PowerTransform are both On; choose one (log is the Box–Cox power with λ = 0).",
                nameof(PowerTransform));
        if (SeasonalDifferencing == AutoSwitch.On && SeasonalPeriod is < 2)
            throw new ArgumentException(
                "SeasonalDifferencing is On but SeasonalPeriod is below 2; set the period (e.g. 12 for monthly data).",
                nameof(SeasonalDifferencing));
        if (AdditionalSeasonalPeriods is { } other)
            for (int i = 0; i < other.Length; i++)
                if (other[i] < 2 || other[i] > 1 << 20 || other[i] == SeasonalPeriod || (i > 0 && other[i] <= other[i - 1]))
                    throw new ArgumentOutOfRangeException(nameof(AdditionalSeasonalPeriods), other[i],
                        "AdditionalSeasonalPeriods must be between 2 and 2^20, shortest first, without repeats and without " +
                        "SeasonalPeriod.");
        if (ExponentialSmoothingWeight is { } weight && !(weight >= 0 && weight <= 1))
            throw new ArgumentOutOfRangeException(nameof(ExponentialSmoothingWeight), weight,
                "ExponentialSmoothingWeight must be between 0 (the LSTM alone) and 1 (the smoothing alone), " +
                "or null (chosen on the holdout).");
        Positive(HiddenSize, nameof(HiddenSize));
        Positive(NumberOfLayers, nameof(NumberOfLayers));
        Positive(NumberOfEpochs, nameof(NumberOfEpochs));
        if (EarlyStoppingPatience < 0)
            throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience,
                "EarlyStoppingPatience must be ≥ 0 (0 = off).");
        if (EarlyStoppingPatience > 0 && ValidationFraction == 0)
            throw new ArgumentException("EarlyStoppingPatience needs a holdout: set ValidationFraction > 0, or EarlyStoppingPatience = 0.",
                nameof(EarlyStoppingPatience));
        Positive(BatchSize, nameof(BatchSize));
        Positive(EnsembleSize, nameof(EnsembleSize));
        Positive(CalibrationFolds, nameof(CalibrationFolds));
        Training.TrainingOptions.CheckLearningRate(LearningRate);
        if (!(WeightDecay >= 0 && double.IsFinite(WeightDecay)))
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "WeightDecay must be ≥ 0 and finite.");
        if (!(WeightAveraging >= 0 && WeightAveraging < 1))
            throw new ArgumentOutOfRangeException(nameof(WeightAveraging), WeightAveraging, "WeightAveraging must be in [0, 1).");
        if (!(GradientClipNorm > 0 && double.IsFinite(GradientClipNorm)))
            throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), GradientClipNorm,
                "GradientClipNorm must be positive and finite.");
        if (!(ValidationFraction >= 0 && ValidationFraction < 0.5))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction,
                "ValidationFraction must be in [0, 0.5).");
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
    }

    /// <summary>A copy.</summary>
    internal LstmForecastingOptions Clone()
    {
        var c = (LstmForecastingOptions)MemberwiseClone();
        c.ExogenousColumnNames = [.. ExogenousColumnNames];
        c.AdditionalSeasonalPeriods = AdditionalSeasonalPeriods is null ? null : [.. AdditionalSeasonalPeriods];
        return c;
    }

    /// <summary>The model's settings: a copy of these options, their one confidence level, and the resolved seed.</summary>
    internal ForecasterSettings ToSettings(ulong seed) => new()
    {
        Model = Clone(), ConfidenceLevels = [ConfidenceLevel],
        ExogenousCount = ExogenousColumnNames.Length, Seed = seed,
        NumberOfThreads = NumberOfThreads is null or 0 ? Environment.ProcessorCount : NumberOfThreads.Value,
    };
}
