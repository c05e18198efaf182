using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>Builds <see cref="SchemaShape"/>s (the column constructor is internal to ML.NET).</summary>
internal static class SchemaShapes
{
    /// <summary>The input shape plus the score columns of <paramref name="task"/>.</summary>
    public static SchemaShape WithScoreColumns(SchemaShape input, LstmTask task, string labelColumn)
    {
        var cols = input.ToDictionary(c => c.Name);
        void Add(string name, SchemaShape.Column.VectorKind kind, DataViewType type, bool isKey, SchemaShape? annotations = null) =>
            cols[name] = new SchemaShape.Column(name, kind, type, isKey, annotations);
        var scalar = SchemaShape.Column.VectorKind.Scalar;
        switch (task)
        {
            case LstmTask.Regression:
                Add(OutputColumns.Score, scalar, NumberDataViewType.Single, false);
                break;
            case LstmTask.BinaryClassification:
                Add(OutputColumns.Score, scalar, NumberDataViewType.Single, false);
                Add(OutputColumns.Probability, scalar, NumberDataViewType.Single, false);
                Add(OutputColumns.PredictedLabel, scalar, BooleanDataViewType.Instance, false);
                break;
            case LstmTask.Tagging:
            case LstmTask.Ctc:
                var keys = cols[labelColumn];
                Add(OutputColumns.Score, SchemaShape.Column.VectorKind.VariableVector, NumberDataViewType.Single, false);
                Add(OutputColumns.PredictedLabel, SchemaShape.Column.VectorKind.VariableVector, keys.ItemType, true, keys.Annotations);
                break;
            default:
                var label = cols[labelColumn];
                Add(OutputColumns.Score, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
                Add(OutputColumns.PredictedLabel, scalar, label.ItemType, true, label.Annotations);
                break;
        }
        return new SchemaShape(cols.Values);
    }

    /// <summary>The input shape plus Single vector columns with the given names (forecasts and bounds).</summary>
    public static SchemaShape WithVectorColumns(SchemaShape input, IEnumerable<string> names)
    {
        var cols = input.ToDictionary(c => c.Name);
        foreach (var n in names)
            cols[n] = new SchemaShape.Column(n, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
        return new SchemaShape(cols.Values);
    }

    /// <summary>The input shape plus a Single scalar column (a language model's bits per token).</summary>
    public static SchemaShape WithSingleColumn(SchemaShape input, string name)
    {
        var cols = input.ToDictionary(c => c.Name);
        cols[name] = new SchemaShape.Column(name, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false);
        return new SchemaShape(cols.Values);
    }
}
