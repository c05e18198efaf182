namespace Microsoft.ML.Lstm;

/// <summary>
/// The checks of one input row, shared by training (<see cref="TrainingDataReader"/>, the forecaster's series reader) and scoring
/// (<see cref="RowScorer"/>, the forecasting data view), so the same bad row fails the same way at Fit, Transform and
/// PredictionEngine: an <see cref="ArgumentException"/> (parameter "input") whose message names the
/// column and the row.
/// </summary>
internal static class RowChecks
{
    /// <summary>A sequence of <paramref name="featuresPerStep"/> finite values per step, at least one step.</summary>
    public static void Features(ReadOnlySpan<float> x, int featuresPerStep, string column, long row)
    {
        if (x.IsEmpty) throw Bad("Feature", column, row, "the sequence is empty.");
        if (x.Length % featuresPerStep != 0)
            throw Bad("Feature", column, row, $"{x.Length} values is not a multiple of FeaturesPerStep = {featuresPerStep}.");
        for (int i = 0; i < x.Length; i++)
            if (!float.IsFinite(x[i]))
                throw Bad("Feature", column, row,
                    $"value {i} is {x[i]}; features must be finite (replace missing values first, e.g. " +
                    "mlContext.Transforms.ReplaceMissingValues).");
    }

    /// <summary>At least one token, each a key in 0..<paramref name="keyCount"/> (0, the missing key, has its own embedding row).</summary>
    public static void Tokens(ReadOnlySpan<int> ids, int keyCount, string column, long row)
    {
        if (ids.IsEmpty) throw Bad("Feature", column, row, "the sequence is empty.");
        foreach (int id in ids)
            if (id > keyCount) throw Bad("Feature", column, row, $"key {id} exceeds the key count {keyCount}.");
    }

    /// <summary>A finite regression label.</summary>
    public static void RegressionLabel(float value, string column, long row)
    {
        if (!float.IsFinite(value)) throw Bad("Label", column, row, $"the label is {value}; labels must be finite.");
    }

    /// <summary>A class label key that is not missing (0).</summary>
    public static void ClassLabel(uint key, string column, long row)
    {
        if (key == 0) throw Bad("Label", column, row, $"the key is missing (0); {MissingKey}every training row needs a class.");
    }

    /// <summary>A tagging label vector: one key per step, each in 1..<paramref name="keyCount"/>.</summary>
    public static void StepLabels(ReadOnlySpan<int> keys, int steps, int keyCount, string column, long row)
    {
        if (keys.Length != steps)
            throw Bad("Label", column, row, $"{keys.Length} labels for a sequence of {steps} steps; a tagger needs one label per step.");
        int missing = keys.IndexOf(0);
        if (missing >= 0)
            throw Bad("Label", column, row, $"the key of step {missing} is missing (0); {MissingKey}every step needs a class.");
        LabelKeysInRange(keys, keyCount, "step", column, row);
    }

    /// <summary>
    /// A CTC label vector: each key in 1..<paramref name="keyCount"/>, and few enough labels for the sequence to spell them out.
    /// </summary>
    public static void CtcLabels(ReadOnlySpan<int> keys, int steps, int keyCount, string column, long row)
    {
        int missing = keys.IndexOf(0);
        if (missing >= 0)
            throw Bad("Label", column, row, $"label {missing} is a missing key (0); {MissingKey}every label needs a class.");
        LabelKeysInRange(keys, keyCount, "label", column, row);
        int need = Core.CtcLoss<float>.MinimumSteps(keys);
        if (steps < need)
            throw Bad("Label", column, row,
                $"{keys.Length} labels need at least {need} steps (one per label and a blank between repeats); the sequence has " +
                $"{steps}.");
    }

    /// <summary>A finite value of a forecaster's series or covariate column.</summary>
    public static void SeriesValue(float value, string column, long row)
    {
        if (!float.IsFinite(value))
            throw Bad("Series", column, row, $"the value is {value}; the series and covariates must be finite (fill gaps first).");
    }

    /// <summary>
    /// The message of <paramref name="e"/> without the " (Parameter '…')" that .NET appends, for a message that wraps it and
    /// names its own parameter.
    /// </summary>
    public static string WithoutParameter(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "");

    /// <summary>What a missing label key usually means, for the messages above.</summary>
    private const string MissingKey = "a value the key mapping did not know (MapValueToKey maps unseen values to 0) or a value " +
        "outside the key type's range reads as missing; ";

    private static void LabelKeysInRange(ReadOnlySpan<int> keys, int keyCount, string what, string column, long row)
    {
        for (int i = 0; i < keys.Length; i++)
            if (keys[i] > keyCount)
                throw Bad("Label", column, row,
                    $"the key {keys[i]} of {what} {i} exceeds the key count {keyCount} of the column's key type; map the labels with " +
                    "MapValueToKey, or declare a key type that holds every class.");
    }

    private static ArgumentException Bad(string role, string column, long row, string problem) =>
        new($"{role} column '{column}', row {row}: {problem}", "input");
}
