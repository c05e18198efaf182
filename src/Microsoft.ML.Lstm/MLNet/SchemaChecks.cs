using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Checks input schemas up front (at Fit, GetOutputSchema and Transform), so a wrong column fails with a
/// message naming it and the expected type instead of deep inside training.
/// </summary>
internal static class SchemaChecks
{
    /// <summary>
    /// The feature column: a vector of Single, of keys (token ids) or of text (words); with <paramref name="trained"/>, it
    /// must hold what the model was trained on.
    /// </summary>
    public static FeatureInput FeatureColumn(DataViewSchema schema, string name, FeatureInput? trained = null)
    {
        var col = Find(schema, name, "feature");
        var item = (col.Type as VectorDataViewType)?.ItemType;
        FeatureInput found;
        if (item == NumberDataViewType.Single) found = new(0, false);
        else if (item == TextDataViewType.Instance) found = new(0, true);
        else if (item is KeyDataViewType key)
        {
            if (key.Count == 0 || key.Count > int.MaxValue / 2)
                throw new ArgumentException(
                    $"Feature column '{name}' is a key vector with {key.Count} keys; a bounded key count is needed for the embedding.",
                    nameof(schema));
            found = new((int)key.Count, false);
        }
        else
            throw new ArgumentException(
                $"Feature column '{name}' has type {col.Type}; expected a vector of Single (known or variable size), of keys (token " +
                "ids) or of text (words, e.g. from mlContext.Transforms.Text.TokenizeIntoWords).",
                nameof(schema));
        if (trained is { } t && t != found)
            throw new ArgumentException(
                $"Feature column '{name}' is {Describe(found)}, but the model was trained on {Describe(t)}.", nameof(schema));
        return found;
    }

    private static string Describe(FeatureInput f) =>
        f.IsText ? "a vector of text (words)" : f.KeyCount > 0 ? $"a key vector with {f.KeyCount} keys" : "a vector of Single";

    /// <summary>The label column for the task; returns the class count for multiclass (0 otherwise).</summary>
    /// <summary>
    /// The task a label column asks for: Single → regression, Boolean → binary, key → multiclass (for a featurizer that
    /// learns from any of them).
    /// </summary>
    /// <exception cref="ArgumentException">The column is missing or of another type (the message names it).</exception>
    public static LstmTask TaskOf(DataViewSchema schema, string name)
    {
        var col = Find(schema, name, "label");
        if (col.Type == NumberDataViewType.Single) return LstmTask.Regression;
        if (col.Type == BooleanDataViewType.Instance) return LstmTask.BinaryClassification;
        if (col.Type is KeyDataViewType) return LstmTask.MulticlassClassification;
        throw new ArgumentException(
            $"Label column '{name}' has type {col.Type}; the featurizer learns from a Single (regression), Boolean (binary) or " +
            "key (multiclass) label. Convert it with mlContext.Transforms.Conversion (ConvertType, or MapValueToKey for classes).",
            nameof(schema));
    }

    public static int LabelColumn(DataViewSchema schema, string name, LstmTask task)
    {
        var col = Find(schema, name, "label");
        switch (task)
        {
            case LstmTask.Regression when col.Type == NumberDataViewType.Single:
                return 0;
            case LstmTask.Regression:
                throw new ArgumentException(
                    $"Label column '{name}' has type {col.Type}; regression expects Single. Convert it with " +
                    "mlContext.Transforms.Conversion.ConvertType.",
                    nameof(schema));
            case LstmTask.BinaryClassification when col.Type == BooleanDataViewType.Instance:
                return 0;
            case LstmTask.BinaryClassification:
                throw new ArgumentException($"Label column '{name}' has type {col.Type}; binary classification expects Boolean.",
                    nameof(schema));
            case LstmTask.MulticlassClassification when col.Type is KeyDataViewType key:
                if (key.Count < 2 || key.Count > 1_000_000)
                    throw new ArgumentException($"Label column '{name}' has {key.Count} classes; expected 2 to 1,000,000.", nameof(schema));
                return (int)key.Count;
            case LstmTask.MulticlassClassification:
                throw new ArgumentException(
                    $"Label column '{name}' has type {col.Type}; multiclass classification expects a key type. Map it with " +
                    $"mlContext.Transforms.Conversion.MapValueToKey(\"{name}\").",
                    nameof(schema));
            case LstmTask.Tagging or LstmTask.Ctc when col.Type is VectorDataViewType { ItemType: KeyDataViewType key }:
                int least = task == LstmTask.Tagging ? 2 : 1;
                if (key.Count < (ulong)least || key.Count > 1_000_000)
                    throw new ArgumentException($"Label column '{name}' has {key.Count} classes; expected {least} to 1,000,000.",
                        nameof(schema));
                return (int)key.Count;
            case LstmTask.Tagging or LstmTask.Ctc:
                throw new ArgumentException(
                    $"Label column '{name}' has type {col.Type}; {task} expects a vector of keys ({(task == LstmTask.Tagging
                        ? "one per step" : "the label sequence")}). Map it with mlContext.Transforms.Conversion.MapValueToKey(\"{name}\").",
                    nameof(schema));
            default:
                throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task.");
        }
    }

    /// <summary>The same checks against a <see cref="SchemaShape"/> (estimator schema propagation).</summary>
    public static void FeatureColumn(SchemaShape shape, string name)
    {
        if (!TryFind(shape, name, out var col))
            throw new ArgumentException($"Feature column '{name}' not found in the input schema.", "inputSchema");
        bool ok = col.Kind is SchemaShape.Column.VectorKind.Vector or SchemaShape.Column.VectorKind.VariableVector
            && (col.ItemType == NumberDataViewType.Single || col.IsKey || col.ItemType == TextDataViewType.Instance);
        if (!ok)
            throw new ArgumentException(
                $"Feature column '{name}' has type {col.ItemType} ({col.Kind}); expected a vector of Single, of keys or of text.",
                "inputSchema");
    }

    /// <summary>Label checks against a <see cref="SchemaShape"/>.</summary>
    public static void LabelColumn(SchemaShape shape, string name, LstmTask task)
    {
        if (!TryFind(shape, name, out var col))
            throw new ArgumentException($"Label column '{name}' not found in the input schema.", "inputSchema");
        bool scalar = col.Kind == SchemaShape.Column.VectorKind.Scalar;
        bool ok = task switch
        {
            LstmTask.Regression => scalar && col.ItemType == NumberDataViewType.Single && !col.IsKey,
            LstmTask.BinaryClassification => scalar && col.ItemType == BooleanDataViewType.Instance,
            LstmTask.Tagging or LstmTask.Ctc => !scalar && col.IsKey,
            _ => scalar && col.IsKey,
        };
        string expected = task switch
        {
            LstmTask.Regression => "Single",
            LstmTask.BinaryClassification => "Boolean",
            LstmTask.Tagging or LstmTask.Ctc => "a vector of keys",
            _ => "a key type",
        };
        if (!ok)
            throw new ArgumentException(
                $"Label column '{name}' has type {col.ItemType}{(col.IsKey ? " (key)" : "")}; {task} expects {expected}.",
                "inputSchema");
    }

    /// <summary>The column named <paramref name="name"/> in <paramref name="shape"/>, if any.</summary>
    internal static bool TryFind(SchemaShape shape, string name, out SchemaShape.Column column)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (var c in shape)
            if (c.Name == name) { column = c; return true; }
        column = default;
        return false;
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.GetColumnOrNull(name)
            ?? throw new ArgumentException(
                $"The {role} column '{name}' was not found in the input data. Columns: " +
                $"{string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.",
                nameof(schema));
    }
}
