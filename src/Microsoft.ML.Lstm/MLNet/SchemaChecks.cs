using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Checks input schemas up front (at Fit, GetOutputSchema and Transform), so a wrong column fails with a
/// message naming it and the expected type instead of deep inside training.
/// </summary>
internal static class SchemaChecks
{
    /// <summary>The feature column; returns its key count for token input (0 for float features).</summary>
    public static int FeatureColumn(DataViewSchema schema, string name, int? trainedKeyCount = null)
    {
        var col = Find(schema, name, "feature");
        if (col.Type is VectorDataViewType { ItemType: var item })
        {
            if (item == NumberDataViewType.Single)
            {
                if (trainedKeyCount is > 0)
                    throw new ArgumentException(
                        $"Feature column '{name}' is a vector of Single, but the model was trained on a key-typed (token) vector with " +
                        $"{trainedKeyCount} keys.",
                        nameof(schema));
                return 0;
            }
            if (item is KeyDataViewType key)
            {
                if (key.Count == 0 || key.Count > int.MaxValue / 2)
                    throw new ArgumentException(
                        $"Feature column '{name}' is a key vector with {key.Count} keys; a bounded key count is needed for the embedding.",
                        nameof(schema));
                if (trainedKeyCount is { } k && k != (int)key.Count)
                    throw new ArgumentException(trainedKeyCount == 0
                        ? $"Feature column '{name}' is a key vector, but the model was trained on a vector of Single."
                        : $"Feature column '{name}' has {key.Count} keys; the model was trained with {k}.", nameof(schema));
                return (int)key.Count;
            }
        }
        throw new ArgumentException(
            $"Feature column '{name}' has type {col.Type}; expected a vector of Single (known or variable size) or a vector of keys " +
            "(token ids).",
            nameof(schema));
    }

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
            && (col.ItemType == NumberDataViewType.Single || col.IsKey);
        if (!ok)
            throw new ArgumentException(
                $"Feature column '{name}' has type {col.ItemType} ({col.Kind}); expected a vector of Single or a vector of keys.",
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
            _ => scalar && col.IsKey,
        };
        string expected = task switch { LstmTask.Regression => "Single", LstmTask.BinaryClassification => "Boolean", _ => "a key type" };
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
