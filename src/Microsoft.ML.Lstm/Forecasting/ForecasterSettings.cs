namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// What the forecaster is built from: the user's <see cref="LstmForecastingOptions"/> (<see cref="Model"/>, the one
/// place where each setting is named, documented and defaulted) plus what the model resolves or needs beyond them:
/// several confidence levels (the ML.NET surface asks for one), the covariate count, the seed, the thread count and a
/// log callback. Of <see cref="Model"/>, the column names, <c>TrainSize</c>, <c>ConfidenceLevel</c>, <c>Seed</c> and
/// <c>NumberOfThreads</c> are not read here: the ML.NET layer resolves them into this object.
/// </summary>
internal sealed class ForecasterSettings
{
    /// <summary>The model's settings: horizon, window, preprocessing, network, training, ensemble and intervals.</summary>
    public LstmForecastingOptions Model { get; init; } = new();

    /// <summary>Nominal coverages of the prediction intervals, each in (0, 1). Default 0.80 and 0.95.</summary>
    public double[] ConfidenceLevels { get; set; } = [0.80, 0.95];

    /// <summary>Exogenous (known future) covariates per step, E. Default 0.</summary>
    public int ExogenousCount { get; set; }

    /// <summary>Seed of initialization and window sampling; the same seed and data give the same model. Default 0.</summary>
    public ulong Seed { get; set; }

    /// <summary>Ensemble members train in parallel on up to this many threads; results do not depend on it. Default 1.</summary>
    public int NumberOfThreads { get; set; } = 1;

    /// <summary>Receives progress lines, possibly from several threads at once (not stored with the model).</summary>
    public Action<string>? Log { get; set; }

    /// <summary>H, the steps forecast from every origin.</summary>
    public int Horizon => Model.Horizon;

    /// <summary>Steps per training window whose losses count.</summary>
    public int WindowSize => Model.WindowSize;

    /// <summary>The seasonal period in use: <see cref="LstmForecastingOptions.SeasonalPeriod"/> once resolved (0 = none).</summary>
    public int SeasonalPeriod => Model.SeasonalPeriod ?? 0;

    /// <summary>Warm-up steps run before a window that starts inside the series: <c>SeriesLength − WindowSize</c>.</summary>
    public int Warmup => Model.SeriesLength - Model.WindowSize;

    /// <summary>The quantile levels the network predicts, ascending: 0.5 and (1 ∓ c)/2 for every confidence level c.</summary>
    public double[] QuantileLevels()
    {
        var levels = new SortedSet<double> { 0.5 };
        foreach (double c in ConfidenceLevels.Select(Forecasting.ConfidenceLevels.Normalize))
        {
            levels.Add(Math.Round((1 - c) / 2, 12));
            levels.Add(Math.Round((1 + c) / 2, 12));
        }
        return [.. levels];
    }

    /// <summary>A deep copy (the <see cref="Log"/> callback is shared).</summary>
    public ForecasterSettings Clone() => new()
    {
        Model = Model.Clone(), ConfidenceLevels = (double[])ConfidenceLevels.Clone(), ExogenousCount = ExogenousCount, Seed = Seed,
        NumberOfThreads = NumberOfThreads, Log = Log,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Model, nameof(Model));
        Model.ValidateModel();
        ArgumentNullException.ThrowIfNull(ConfidenceLevels, nameof(ConfidenceLevels));
        foreach (double c in ConfidenceLevels)
            if (!(c > 0 && c < 1))
                throw new ArgumentOutOfRangeException(nameof(ConfidenceLevels), c,
                    "Every confidence level must lie strictly between 0 and 1.");
        if (ConfidenceLevels.Select(Forecasting.ConfidenceLevels.Normalize).Distinct().Count() != ConfidenceLevels.Length)
            throw new ArgumentException("ConfidenceLevels holds a level twice.", nameof(ConfidenceLevels));
        if (ExogenousCount < 0)
            throw new ArgumentOutOfRangeException(nameof(ExogenousCount), ExogenousCount, "ExogenousCount must be ≥ 0.");
        if (NumberOfThreads <= 0)
            throw new ArgumentOutOfRangeException(nameof(NumberOfThreads), NumberOfThreads, "NumberOfThreads must be positive.");
    }
}
