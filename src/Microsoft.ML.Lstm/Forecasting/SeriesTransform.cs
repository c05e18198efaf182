namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// The preprocessing stored with a model: optional log or Box–Cox power transform, a baseline lag (the
/// seasonal period when seasonally differenced, else 1), and standardization. Everything is a fixed function of the last
/// <see cref="Lag"/> observations, so streaming a point needs no refit and no window.
/// </summary>
/// <remarks>
/// With x = g(y) — y, log y, or the Box–Cox power (y^λ − 1)/λ, 0 &lt; λ &lt; 1 — lag ℓ, drift μ (mean of
/// x_t − x_{t−ℓ} over the training series) and scale s (their standard deviation):
/// <code>
///   network input at step t:  u_t = (x_t − x_{t−ℓ} − μ) / s,  [ (x_t − level mean) / level scale ],
///                             [ standardized exogenous_t ]
///   baseline for t + h:       b_{t,h} = x_{t+o(h)} + k(h)·μ,
///                             o(h) = −ℓ + ((h − 1) mod ℓ) + 1 ∈ (−ℓ, 0],  k(h) = ⌈h / ℓ⌉
///   network target:           r_{t,h} = (x_{t+h} − b_{t,h}) / s
/// </code>
/// So a network that outputs 0 forecasts the seasonal naive method with drift (ℓ = m) or the naive method
/// with drift (ℓ = 1), and it learns corrections to that in units of s. Quantiles map back through the
/// monotone inverse x = b + s·r, y = g⁻¹(x) (for the power transform, values below g(0) map to 0).
/// </remarks>
internal sealed class SeriesTransform
{
    /// <summary>
    /// Creates a transform from stored parameters (see the properties); <paramref name="useLog"/> false means no transform.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter is out of range or not finite.</exception>
    public SeriesTransform(bool useLog, int lag, bool levelInput, double drift, double scale, double levelMean, double levelScale,
        double[] exogenousMean, double[] exogenousScale)
        : this(useLog ? 0.0 : 1.0, lag, levelInput, drift, scale, levelMean, levelScale, exogenousMean, exogenousScale)
    {
    }

    /// <summary>Creates a transform from stored parameters (see the properties).</summary>
    /// <exception cref="ArgumentException">A parameter is out of range or not finite.</exception>
    public SeriesTransform(double boxCoxLambda, int lag, bool levelInput, double drift, double scale, double levelMean, double levelScale,
        double[] exogenousMean, double[] exogenousScale)
    {
        if (!(boxCoxLambda >= 0 && boxCoxLambda <= 1))
            throw new ArgumentOutOfRangeException(nameof(boxCoxLambda), boxCoxLambda,
                "The Box–Cox λ must lie in [0, 1] (0 = log, 1 = none).");
        ArgumentNullException.ThrowIfNull(exogenousMean);
        ArgumentNullException.ThrowIfNull(exogenousScale);
        if (lag < 1) throw new ArgumentOutOfRangeException(nameof(lag), lag, "The lag must be ≥ 1.");
        if (exogenousMean.Length != exogenousScale.Length)
            throw new ArgumentException("Exogenous means and scales differ in length.", nameof(exogenousScale));
        Finite(drift, nameof(drift));
        Finite(levelMean, nameof(levelMean));
        PositiveScale(scale, nameof(scale));
        PositiveScale(levelScale, nameof(levelScale));
        foreach (double v in exogenousMean) Finite(v, nameof(exogenousMean));
        foreach (double v in exogenousScale) PositiveScale(v, nameof(exogenousScale));
        (BoxCoxLambda, Lag, LevelInput, Drift, Scale, LevelMean, LevelScale) = (boxCoxLambda,
            lag, levelInput, drift, scale, levelMean, levelScale);
        ExogenousMean = (double[])exogenousMean.Clone();
        ExogenousScale = (double[])exogenousScale.Clone();
    }

    /// <summary>
    /// λ of the transform x = g(y): 1 = none (x = y), 0 = log, in between the Box–Cox power (y^λ − 1)/λ
    /// (for non-negative series; its inverse maps values below g(0) = −1/λ to 0).
    /// </summary>
    public double BoxCoxLambda { get; }

    /// <summary>Whether the model works on log y (λ = 0).</summary>
    public bool UseLog => BoxCoxLambda == 0;

    /// <summary>Whether the model works on a Box–Cox power of y (0 &lt; λ &lt; 1).</summary>
    public bool UsePower => BoxCoxLambda > 0 && BoxCoxLambda < 1;

    /// <summary>"none", "log" or "power λ" for logs and reports.</summary>
    public string TransformName => UseLog ? "log" : UsePower ? $"power {BoxCoxLambda:F2}" : "none";

    /// <summary>Baseline lag ℓ: the seasonal period when seasonally differenced, else 1.</summary>
    public int Lag { get; }

    /// <summary>Whether the standardized level is a network input.</summary>
    public bool LevelInput { get; }

    /// <summary>μ, the mean lag-ℓ difference of x over the training series.</summary>
    public double Drift { get; }

    /// <summary>s, the standard deviation of the lag-ℓ differences of x.</summary>
    public double Scale { get; }

    /// <summary>Mean of x over the training series (level input).</summary>
    public double LevelMean { get; }

    /// <summary>Standard deviation of x over the training series (level input).</summary>
    public double LevelScale { get; }

    /// <summary>Mean of each exogenous feature over the training series.</summary>
    public IReadOnlyList<double> ExogenousMean { get; }

    /// <summary>Standard deviation of each exogenous feature (1 when constant).</summary>
    public IReadOnlyList<double> ExogenousScale { get; }

    /// <summary>Whether the baseline is one season back.</summary>
    public bool SeasonalDifferencing => Lag > 1;

    /// <summary>E.</summary>
    public int ExogenousCount => ExogenousMean.Count;

    /// <summary>Network inputs per step: u_t, the level when used, and E exogenous features.</summary>
    public int InputSize => 1 + (LevelInput ? 1 : 0) + ExogenousCount;

    /// <summary>
    /// Fits the transform on a training series (already checked by the caller), resolving the
    /// <see cref="AutoSwitch.Auto"/> settings with <see cref="SeriesDiagnostics"/>.
    /// </summary>
    /// <param name="y">The series.</param>
    /// <param name="exogenous">[N × E] covariates, row-major.</param>
    /// <param name="options">Settings.</param>
    /// <exception cref="ArgumentException">A log transform is forced on a series with
    /// values ≤ 0, or a power transform on one with values &lt; 0.</exception>
    public static SeriesTransform Fit(ReadOnlySpan<double> y, ReadOnlySpan<double> exogenous, ForecasterSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int m = options.SeasonalPeriod, E = options.ExogenousCount, n = y.Length;
        bool positive = true;
        foreach (double v in y) positive &= v > 0;
        if (options.Model.LogTransform == AutoSwitch.On && !positive)
            throw new ArgumentException("LogTransform is On but the series has values ≤ 0.", nameof(y));
        bool useLog = options.Model.LogTransform == AutoSwitch.On
            || (options.Model.LogTransform == AutoSwitch.Auto && SeriesDiagnostics.SuggestsLogTransform(y, m));
        double lambda = useLog ? 0 : PowerLambda(y, options);
        var x = new double[n];
        for (int t = 0; t < n; t++) x[t] = ToModel(y[t], lambda);
        bool seasonal = options.Model.SeasonalDifferencing == AutoSwitch.On
            || (options.Model.SeasonalDifferencing == AutoSwitch.Auto && m >= 2
                && (SeriesDiagnostics.SeasonalStrength(x, m) >= SeriesDiagnostics.SeasonalStrengthThreshold
                    || SeasonalityDetector.DetectAll(x).Contains(m))
                && BaselineCheck.SeasonalBeatsNaive(x, m, options.Horizon));
        bool level = options.Model.LevelInput == AutoSwitch.On || (options.Model.LevelInput == AutoSwitch.Auto && !seasonal);
        int lag = seasonal ? m : 1;
        var diffs = new double[n - lag];
        for (int t = lag; t < n; t++) diffs[t - lag] = x[t] - x[t - lag];
        var (drift, scale) = MeanStd(diffs);
        var (levelMean, levelScale) = MeanStd(x);
        var exMean = new double[E];
        var exScale = new double[E];
        var column = new double[n];
        for (int e = 0; e < E; e++)
        {
            for (int t = 0; t < n; t++) column[t] = exogenous[t * E + e];
            (exMean[e], exScale[e]) = MeanStd(column);
        }
        return new SeriesTransform(lambda, lag, level, drift, scale, levelMean, levelScale, exMean, exScale);
    }

    /// <summary>
    /// The power transform's λ (1 = none) when log is not used: <see cref="LstmForecastingOptions.PowerTransform"/> resolved.
    /// </summary>
    private static double PowerLambda(ReadOnlySpan<double> y, ForecasterSettings options)
    {
        int m = options.SeasonalPeriod;
        switch (options.Model.PowerTransform)
        {
            case AutoSwitch.Off: return 1;
            case AutoSwitch.Auto: return SeriesDiagnostics.SuggestedPowerLambda(y, m);
        }
        bool zeros = false;
        foreach (double v in y)
        {
            if (!(v >= 0)) throw new ArgumentException("PowerTransform is On but the series has values < 0.", nameof(y));
            zeros |= v == 0;
        }
        int block = m >= 2 ? m : 12;
        if (y.Length < 2 * block)
            throw new ArgumentException(
                $"PowerTransform is On but the series has {y.Length} values; choosing λ needs at least two blocks of {block}.",
                nameof(y));
        return SeriesDiagnostics.GuerreroLambda(y, block, zeros ? SeriesDiagnostics.MinPowerLambdaWithZeros : 0, 1);
    }

    /// <summary>y → x = g(y): y, log y or (y^λ − 1)/λ.</summary>
    public double ToModel(double y) => ToModel(y, BoxCoxLambda);

    /// <summary>x → y = g⁻¹(x): x, exp x or (1 + λx)^(1/λ), which is 0 where 1 + λx ≤ 0 (below g(0)).</summary>
    public double FromModel(double x) => BoxCoxLambda switch
    {
        1 => x,
        0 => Math.Exp(x),
        double l => 1 + l * x > 0 ? Math.Pow(1 + l * x, 1 / l) : 0,
    };

    /// <summary>dx/dy of x = g(y): 1, 1/y or y^(λ − 1).</summary>
    public double ModelSlope(double y) => BoxCoxLambda switch
    {
        1 => 1,
        0 => 1 / y,
        double l => Math.Pow(y, l - 1),
    };

    /// <summary>dy/dx of y = g⁻¹(x): 1, exp x or (1 + λx)^(1/λ − 1) (0 below g(0), where g⁻¹ is flat at 0).</summary>
    public double InverseSlope(double x) => BoxCoxLambda switch
    {
        1 => 1,
        0 => Math.Exp(x),
        double l => 1 + l * x > 0 ? Math.Pow(1 + l * x, 1 / l - 1) : 0,
    };

    /// <summary>Whether y lies in the domain of g: any finite y for none, y &gt; 0 for log, y ≥ 0 for a power.</summary>
    public bool InDomain(double y) => BoxCoxLambda == 1 || (UseLog ? y > 0 : y >= 0);

    private static double ToModel(double y, double lambda) => lambda switch
    {
        1 => y,
        0 => Math.Log(y),
        _ => (Math.Pow(y, lambda) - 1) / lambda,
    };

    /// <summary>o(h): offset from the origin t of the observation the baseline for t + h starts from (h ≥ 1).</summary>
    public int BaselineOffset(int h) => -Lag + (h - 1) % Lag + 1;

    /// <summary>k(h) = ⌈h / ℓ⌉: how many drift steps the baseline for t + h adds.</summary>
    public int DriftSteps(int h) => (h - 1) / Lag + 1;

    /// <summary>Writes the network input for a step with value x, the value ℓ steps earlier, and the step's covariates.</summary>
    public void Features(double x, double xLagged, ReadOnlySpan<double> exogenous, Span<float> features)
    {
        int k = 0;
        features[k++] = (float)((x - xLagged - Drift) / Scale);
        if (LevelInput) features[k++] = (float)((x - LevelMean) / LevelScale);
        for (int e = 0; e < ExogenousCount; e++) features[k++] = (float)((exogenous[e] - ExogenousMean[e]) / ExogenousScale[e]);
    }

    /// <summary>r_{t,h} from the future value and the baseline observation x_{t+o(h)}.</summary>
    public double Target(double xFuture, double xBase, int h) => (xFuture - xBase - DriftSteps(h) * Drift) / Scale;

    /// <summary>x_{t+h} from a network value r and the baseline observation x_{t+o(h)} (inverse of <see cref="Target"/>).</summary>
    public double Reconstruct(double r, double xBase, int h) => xBase + DriftSteps(h) * Drift + Scale * r;

    /// <summary>The regressor of exogenous feature e for t + h: its change since the baseline observation, standardized.</summary>
    public double ExogenousRegressor(double future, double atBase, int e) => (future - atBase) / ExogenousScale[e];

    private static (double Mean, double Std) MeanStd(ReadOnlySpan<double> v)
    {
        var (mean, variance) = SeriesDiagnostics.Moments(v);
        double std = Math.Sqrt(variance);
        return (mean, std > 1e-12 * Math.Max(1, Math.Abs(mean)) ? std : 1);
    }

    private static void Finite(double v, string name)
    {
        if (!double.IsFinite(v)) throw new ArgumentException($"{name} is not finite ({v}).", name);
    }

    private static void PositiveScale(double v, string name)
    {
        if (!(v > 0 && double.IsFinite(v))) throw new ArgumentException($"{name} must be positive and finite ({v}).", name);
    }
}
