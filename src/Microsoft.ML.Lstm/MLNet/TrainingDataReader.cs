using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Reads an <see cref="IDataView"/> into sequences for training: one row is one sequence. Rows are checked
/// by <see cref="RowChecks"/>, as at scoring.
/// </summary>
internal static class TrainingDataReader
{
    /// <summary>
    /// Reads features and labels (none when <paramref name="task"/> is null: the samples then hold only their sequences);
    /// <paramref name="tokenKeyCount"/> &gt; 0 means key-typed token features.
    /// </summary>
    public static SequenceDataset Read(IDataView data, LstmOptions options, LstmTask? task, int tokenKeyCount, Action? checkAlive = null)
    {
        var schema = data.Schema;
        var labelCol = task is null ? (DataViewSchema.Column?)null : schema[options.LabelColumnName!];
        var samples = new List<SequenceSample>();
        var featureCol = schema[options.FeatureColumnName];
        using var cursor = data.GetRowCursor(labelCol is { } l ? [featureCol, l] : [featureCol]);
        var label = task is { } t ? LabelReader(cursor, labelCol!.Value, t) : (_, s) => s;
        var features = new SequenceReader(cursor, featureCol, options.FeaturesPerStep, tokenKeyCount);
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 1023) == 0) checkAlive?.Invoke();
            int n = features.Read();
            var sample = features.IsTokens
                ? new SequenceSample { Tokens = features.Tokens.AsSpan(0, n).ToArray() }
                : new SequenceSample { Features = features.Features.AsSpan(0, n).ToArray() };
            samples.Add(label(cursor.Position, sample));
        }
        if (samples.Count == 0) throw new ArgumentException("The training data has no rows.", nameof(data));
        return new SequenceDataset(tokenKeyCount > 0 ? 1 : options.FeaturesPerStep, samples);
    }

    private static Func<long, SequenceSample, SequenceSample> LabelReader(DataViewRowCursor cursor,
        DataViewSchema.Column col, LstmTask task)
    {
        string name = col.Name;
        switch (task)
        {
            case LstmTask.Regression:
                {
                    var get = cursor.GetGetter<float>(col);
                    return (row, s) =>
                    {
                        float v = 0; get(ref v);
                        RowChecks.RegressionLabel(v, name, row);
                        return new SequenceSample { Features = s.Features, Tokens = s.Tokens, Target = [v] };
                    };
                }
            case LstmTask.BinaryClassification:
                {
                    var get = cursor.GetGetter<bool>(col);
                    return (row, s) =>
                    {
                        bool v = false; get(ref v);
                        return new SequenceSample { Features = s.Features, Tokens = s.Tokens, Target = [v ? 1f : 0f] };
                    };
                }
            default:
                {
                    var get = cursor.GetGetter<uint>(col);
                    return (row, s) =>
                    {
                        uint k = 0; get(ref k);
                        RowChecks.ClassLabel(k, name, row);
                        return new SequenceSample { Features = s.Features, Tokens = s.Tokens, Classes = [(int)k - 1] };
                    };
                }
        }
    }
}
