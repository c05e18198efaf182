namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>Argument checks with messages that name the offending value.</summary>
internal static class SeriesChecks
{
    /// <summary>The series is non-empty and finite (no NaN for missing values).</summary>
    /// <param name="y">The values.</param>
    /// <param name="name">The parameter name.</param>
    /// <param name="subject">How messages name the series (e.g. "Series 3" in a global model).</param>
    public static void Series(ReadOnlySpan<double> y, string name, string subject = "The series")
    {
        if (y.IsEmpty) throw new ArgumentException($"{subject} is empty.", name);
        for (int t = 0; t < y.Length; t++)
        {
            if (double.IsNaN(y[t]))
                throw new ArgumentException($"{subject} has NaN at index {t}; missing values are not supported: fill or remove them first.",
                    name);
            if (!double.IsFinite(y[t])) throw new ArgumentException($"{subject} has a non-finite value ({y[t]}) at index {t}.", name);
        }
    }

    /// <summary>
    /// The covariates are [rows × E], finite; empty when E = 0. <paramref name="subject"/> prefixes messages (e.g. "Series 3: ").
    /// </summary>
    public static void Exogenous(ReadOnlySpan<double> exogenous, int rows, int count, string name, string subject = "")
    {
        if (exogenous.Length != rows * count)
            throw new ArgumentException(count == 0
                ? $"{subject}Exogenous values were given ({exogenous.Length}) but the model has no exogenous features " +
                    "(ExogenousCount = 0)."
                : $"{subject}Exogenous values must be {rows} steps × {count} features = {rows * count} values, row-major; " +
                    $"got {exogenous.Length}.",
                name);
        for (int k = 0; k < exogenous.Length; k++)
            if (!double.IsFinite(exogenous[k]))
                throw new ArgumentException($"{subject}Exogenous feature {k % count} at step {k / count} is not finite ({exogenous[k]}).",
                    name);
    }

    /// <summary>Training needs at least windowSize + horizon values.</summary>
    public static void TrainingLength(int length, ForecasterSettings options, string name, string subject = "The series")
    {
        int need = options.WindowSize + options.Horizon;
        if (length < need)
            throw new ArgumentException(
                $"{subject} has {length} values, fewer than windowSize + horizon = {options.WindowSize} + {options.Horizon} = {need}; " +
                "use a longer series or a smaller window or horizon.",
                name);
    }

    /// <summary>A log-transformed model needs positive observations, a power-transformed one non-negative ones.</summary>
    public static void Positive(ReadOnlySpan<double> y, SeriesTransform transform, string name)
    {
        for (int t = 0; t < y.Length; t++)
            if (!transform.InDomain(y[t]))
                throw new ArgumentException(transform.UseLog
                    ? $"The model works on log(y) but value {t} is {y[t]}; observations must be positive."
                    : $"The model works on the Box–Cox power of y (λ = {transform.BoxCoxLambda:G4}) but value {t} is {y[t]}; " +
                        "observations must be ≥ 0.",
                    name);
    }

    /// <summary>
    /// The training series of a global model: at least one; each checked as by <see cref="Series"/>, <see cref="TrainingLength"/> and
    /// <see cref="Exogenous"/>, with messages naming its index.
    /// </summary>
    public static void SeriesList(IReadOnlyList<double[]> series,
        IReadOnlyList<double[]>? exogenous, ForecasterSettings options, string name)
    {
        ArgumentNullException.ThrowIfNull(series, name);
        if (series.Count == 0) throw new ArgumentException("The list of series is empty; a global model needs at least one series.", name);
        if (exogenous is not null && exogenous.Count != series.Count)
            throw new ArgumentException($"Exogenous covariates were given for {exogenous.Count} series; there are {series.Count}.",
                nameof(exogenous));
        for (int j = 0; j < series.Count; j++)
        {
            if (series[j] is null) throw new ArgumentException($"Series {j} is null.", name);
            Series(series[j], name, $"Series {j}");
            TrainingLength(series[j].Length, options, name, $"Series {j}");
            if (options.Model.LogTransform == AutoSwitch.On && series[j].Any(v => v <= 0))
                throw new ArgumentException($"LogTransform is On but series {j} has values ≤ 0.", name);
            if (options.Model.PowerTransform == AutoSwitch.On && series[j].Any(v => v < 0))
                throw new ArgumentException($"PowerTransform is On but series {j} has values < 0.", name);
            Exogenous(exogenous?[j] ?? [], series[j].Length, options.ExogenousCount, nameof(exogenous), $"Series {j}: ");
        }
    }
}
