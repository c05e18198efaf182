namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>Argument checks with messages that name the offending value.</summary>
internal static class SeriesChecks
{
    /// <summary>The series is non-empty and finite (no NaN for missing values).</summary>
    public static void Series(ReadOnlySpan<double> y, string name)
    {
        if (y.IsEmpty) throw new ArgumentException("The series is empty.", name);
        for (int t = 0; t < y.Length; t++)
        {
            if (double.IsNaN(y[t])) throw new ArgumentException($"The series has NaN at index {t}; missing values are not supported: fill or remove them first.", name);
            if (!double.IsFinite(y[t])) throw new ArgumentException($"The series has a non-finite value ({y[t]}) at index {t}.", name);
        }
    }

    /// <summary>The covariates are [rows × E], finite; empty when E = 0.</summary>
    public static void Exogenous(ReadOnlySpan<double> exogenous, int rows, int count, string name)
    {
        if (exogenous.Length != rows * count)
            throw new ArgumentException(count == 0
                ? $"Exogenous values were given ({exogenous.Length}) but the model has no exogenous features (ExogenousCount = 0)."
                : $"Exogenous values must be {rows} steps × {count} features = {rows * count} values, row-major; got {exogenous.Length}.", name);
        for (int k = 0; k < exogenous.Length; k++)
            if (!double.IsFinite(exogenous[k])) throw new ArgumentException($"Exogenous feature {k % count} at step {k / count} is not finite ({exogenous[k]}).", name);
    }

    /// <summary>Training needs at least windowSize + horizon values.</summary>
    public static void TrainingLength(int length, LstmForecasterOptions options, string name)
    {
        int need = options.WindowSize + options.Horizon;
        if (length < need)
            throw new ArgumentException($"The series has {length} values, fewer than windowSize + horizon = {options.WindowSize} + {options.Horizon} = {need}; use a longer series or a smaller window or horizon.", name);
    }

    /// <summary>A log-transformed model needs positive observations.</summary>
    public static void Positive(ReadOnlySpan<double> y, SeriesTransform transform, string name)
    {
        if (!transform.UseLog) return;
        for (int t = 0; t < y.Length; t++)
            if (!(y[t] > 0)) throw new ArgumentException($"The model works on log(y) but value {t} is {y[t]}; observations must be positive.", name);
    }
}
