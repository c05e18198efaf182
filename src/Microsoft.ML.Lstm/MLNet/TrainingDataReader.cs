using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Reads an <see cref="IDataView"/> into sequences for training: one row is one sequence. Rows are checked
/// by <see cref="RowChecks"/>, as at scoring.
/// </summary>
internal static class TrainingDataReader
{
    /// <summary>The word vocabulary of the text feature column of <paramref name="data"/>.</summary>
    public static WordFeatures Words(IDataView data, string column, Action? checkAlive = null)
    {
        var col = data.Schema[column];
        using var cursor = data.GetRowCursor([col]);
        return WordFeatures.Build(SequenceReader.Words(cursor, col, checkAlive));
    }

    /// <summary>
    /// Reads features and labels (none when <paramref name="task"/> is null: the samples then hold only their sequences).
    /// Tagging labels become one class per step (key − 1); CTC labels keep their keys (1 … C; 0 is the blank).
    /// </summary>
    /// <param name="data">The rows.</param>
    /// <param name="options">Feature and label column names, features per step.</param>
    /// <param name="task">The task the labels are read for, or null.</param>
    /// <param name="input">What the feature column holds.</param>
    /// <param name="words">The vocabulary of a text feature column (<see cref="Words"/>); null otherwise.</param>
    /// <param name="checkAlive">Called every 1,024 rows (cancellation).</param>
    public static SequenceDataset Read(IDataView data, LstmOptions options, LstmTask? task, FeatureInput input, WordFeatures? words,
        Action? checkAlive = null)
    {
        var samples = Rows(data, options, task, input, words, checkAlive).Select(r => r.Sample).ToList();
        if (samples.Count == 0) throw NoRows(options);
        return new SequenceDataset(input.ValuesPerStep(options), samples);
    }

    /// <summary>The error of training data without a row.</summary>
    public static ArgumentException NoRows(LstmOptions options) => new(
        $"The training data has no rows (feature column '{options.FeatureColumnName}'): training needs at least one row. Check " +
        "the loader (path, separator, header) and any filter applied before Fit.", "data");

    /// <summary>
    /// The rows of <see cref="Read"/> one at a time, each with its position, read through a fresh cursor: a sample is a new
    /// object that the reader does not hold on to. Rows whose position <paramref name="keep"/> rejects are passed over
    /// unread (and unchecked).
    /// </summary>
    public static IEnumerable<(long Row, SequenceSample Sample)> Rows(IDataView data, LstmOptions options, LstmTask? task,
        FeatureInput input, WordFeatures? words, Action? checkAlive = null, Func<long, bool>? keep = null)
    {
        int tokenKeyCount = input.KeyCount, perStep = input.ValuesPerStep(options);
        var schema = data.Schema;
        var labelCol = task is null ? (DataViewSchema.Column?)null : schema[options.LabelColumnName!];
        var featureCol = schema[options.FeatureColumnName];
        using var cursor = data.GetRowCursor(labelCol is { } l ? [featureCol, l] : [featureCol]);
        var label = task is { } t ? LabelReader(cursor, labelCol!.Value, t, perStep) : (_, s) => s;
        var features = new SequenceReader(cursor, featureCol, options.FeaturesPerStep, tokenKeyCount, words);
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 1023) == 0) checkAlive?.Invoke();
            if (keep is not null && !keep(cursor.Position)) continue;
            int n = features.Read();
            var sample = features.IsTokens
                ? new SequenceSample { Tokens = features.Tokens.AsSpan(0, n).ToArray() }
                : new SequenceSample { Features = features.Features.AsSpan(0, n).ToArray() };
            yield return (cursor.Position, label(cursor.Position, sample));
        }
    }

    private static Func<long, SequenceSample, SequenceSample> LabelReader(DataViewRowCursor cursor,
        DataViewSchema.Column col, LstmTask task, int perStep)
    {
        string name = col.Name;
        switch (task)
        {
            case LstmTask.Tagging:
            case LstmTask.Ctc:
                {
                    var read = KeyVectorReader.Create(cursor, col);
                    int[] keys = [];
                    int keyCount = (int)((VectorDataViewType)col.Type).ItemType.GetKeyCount();
                    return (row, s) =>
                    {
                        int n = read(ref keys), steps = (s.Tokens?.Length ?? s.Features!.Length) / perStep;
                        var labels = keys.AsSpan(0, n);
                        if (task == LstmTask.Tagging) RowChecks.StepLabels(labels, steps, keyCount, name, row);
                        else RowChecks.CtcLabels(labels, steps, keyCount, name, row);
                        int shift = task == LstmTask.Tagging ? 1 : 0;   // tagging classes from 0; CTC keeps 0 for the blank
                        var classes = new int[n];
                        for (int i = 0; i < n; i++) classes[i] = labels[i] - shift;
                        return new SequenceSample { Features = s.Features, Tokens = s.Tokens, Classes = classes };
                    };
                }
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
