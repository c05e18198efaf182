using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Reads an <see cref="IDataView"/> into sequences for training: one row is one sequence. Errors name
/// the column and the row.
/// </summary>
internal static class TrainingDataReader
{
    /// <summary>Reads features and labels; <paramref name="tokenKeyCount"/> &gt; 0 means key-typed token features.</summary>
    public static SequenceDataset Read(IDataView data, LstmOptions options, LstmTask task, int tokenKeyCount, Action? checkAlive = null)
    {
        var schema = data.Schema;
        var featureCol = schema[options.FeatureColumnName];
        var labelCol = schema[options.LabelColumnName];
        var samples = new List<SequenceSample>();
        using var cursor = data.GetRowCursor([featureCol, labelCol]);
        var label = LabelReader(cursor, labelCol, task);
        var features = FeatureReader(cursor, featureCol, tokenKeyCount, options.FeaturesPerStep);
        long row = 0;
        while (cursor.MoveNext())
        {
            if ((row & 1023) == 0) checkAlive?.Invoke();
            var sample = features(row);
            samples.Add(label(row, sample));
            row++;
        }
        if (samples.Count == 0) throw new ArgumentException("The training data has no rows.", nameof(data));
        return new SequenceDataset(tokenKeyCount > 0 ? 1 : options.FeaturesPerStep, samples);
    }

    private static Func<long, SequenceSample> FeatureReader(DataViewRowCursor cursor, DataViewSchema.Column col, int keyCount, int perStep)
    {
        string name = col.Name;
        if (keyCount > 0)
        {
            var read = KeyVectorReader.Create(cursor, col);
            int[] buf = [];
            return row =>
            {
                int n = read(ref buf); // key 0 (missing) → embedding row 0
                if (n == 0) throw new ArgumentException($"Feature column '{name}', row {row}: the sequence is empty.", "data");
                for (int i = 0; i < n; i++)
                    if (buf[i] > keyCount) throw new ArgumentException($"Feature column '{name}', row {row}: key {buf[i]} exceeds the key count {keyCount}.", "data");
                return new SequenceSample { Tokens = buf.AsSpan(0, n).ToArray() };
            };
        }
        var getF = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> fbuf = default;
        return row =>
        {
            getF(ref fbuf);
            var x = new float[fbuf.Length];
            int i = 0;
            foreach (float v in fbuf.DenseValues())
            {
                if (!float.IsFinite(v)) throw new ArgumentException($"Feature column '{name}', row {row}: value {i} is {v}; features must be finite (replace missing values first, e.g. mlContext.Transforms.ReplaceMissingValues).", "data");
                x[i++] = v;
            }
            if (x.Length == 0) throw new ArgumentException($"Feature column '{name}', row {row}: the sequence is empty.", "data");
            if (x.Length % perStep != 0) throw new ArgumentException($"Feature column '{name}', row {row}: {x.Length} values is not a multiple of FeaturesPerStep = {perStep}.", "data");
            return new SequenceSample { Features = x };
        };
    }

    private static Func<long, SequenceSample, SequenceSample> LabelReader(DataViewRowCursor cursor, DataViewSchema.Column col, LstmTask task)
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
                    if (!float.IsFinite(v)) throw new ArgumentException($"Label column '{name}', row {row}: the label is {v}; labels must be finite.", "data");
                    return new SequenceSample { Features = s.Features, Tokens = s.Tokens, Target = [v] };
                };
            }
            case LstmTask.BinaryClassification:
            {
                var get = cursor.GetGetter<bool>(col);
                return (row, s) => { bool v = false; get(ref v); return new SequenceSample { Features = s.Features, Tokens = s.Tokens, Target = [v ? 1f : 0f] }; };
            }
            default:
            {
                var get = cursor.GetGetter<uint>(col);
                return (row, s) =>
                {
                    uint k = 0; get(ref k);
                    if (k == 0) throw new ArgumentException($"Label column '{name}', row {row}: the key is missing (0); every training row needs a class.", "data");
                    return new SequenceSample { Features = s.Features, Tokens = s.Tokens, Classes = [(int)k - 1] };
                };
            }
        }
    }
}
