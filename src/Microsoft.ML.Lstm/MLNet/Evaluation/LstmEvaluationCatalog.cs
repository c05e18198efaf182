using Microsoft.ML.Data;
using Microsoft.ML.Lstm;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML;

/// <summary>
/// Evaluation of per-step and sequence-to-sequence models, beside ML.NET's own <c>Evaluate</c> (which scores one label per
/// row): <c>mlContext.MulticlassClassification.EvaluateTagging</c> for taggers, <c>EvaluateSequences</c> for CTC models.
/// </summary>
public static class LstmEvaluationCatalog
{
    /// <summary>
    /// Token accuracy, per-tag precision, recall and F1, the confusion matrix and — for BIO tags — span F1 of a tagger's
    /// scored data (see <see cref="LstmTaggingMetrics"/>).
    /// </summary>
    /// <param name="catalog">The multiclass classification catalog.</param>
    /// <param name="data">Scored data: the label and predicted key vectors, one key per step.</param>
    /// <param name="labelColumnName">The gold tags (key vector).</param>
    /// <param name="predictedLabelColumnName">The predicted tags (key vector of the same key count).</param>
    /// <exception cref="ArgumentException">A missing column or one that is not a key vector, key counts that differ, or a row whose
    /// vectors differ in length or hold a missing key (the message names the row).</exception>
    public static LstmTaggingMetrics EvaluateTagging(this MulticlassClassificationCatalog catalog, IDataView data,
        string labelColumnName = "Label", string predictedLabelColumnName = "PredictedLabel")
    {
        var (label, predicted, classes) = Columns(catalog, data, labelColumnName, predictedLabelColumnName);
        var names = TagNames(label, classes);
        var sentences = ReadPairs(data, label, predicted, (gold, guess, row) =>
        {
            if (gold.Length != guess.Length)
                throw new ArgumentException(
                    $"Row {row}: column '{label.Name}' has {gold.Length} tags and column '{predicted.Name}' {guess.Length}.", nameof(data));
            RowChecks.StepLabels(gold, gold.Length, classes, label.Name, row);
            RowChecks.StepLabels(guess, guess.Length, classes, predicted.Name, row);
        });
        var zeroBased = sentences.Select(p => (Shift(p.Gold), Shift(p.Predicted))).ToList();
        var m = TaggingMetrics.Compute(zeroBased, classes);
        bool bio = names.Any(n => n.StartsWith("B-", StringComparison.Ordinal));
        var span = bio ? TaggingMetrics.SpanF1(zeroBased.Select(p => (Named(p.Item1, names), Named(p.Item2, names)))) : default;
        return new LstmTaggingMetrics(m, names, zeroBased.Sum(p => (long)p.Item1.Length), bio ? span : null);
    }

    /// <summary>
    /// Character (label) error rate, word error rate and exact-sequence accuracy of a sequence-to-sequence model's scored data
    /// (see <see cref="LstmSequenceMetrics"/>).
    /// </summary>
    /// <param name="catalog">The multiclass classification catalog.</param>
    /// <param name="data">Scored data: the label and predicted key vectors (any lengths).</param>
    /// <param name="labelColumnName">The reference label sequences (key vector).</param>
    /// <param name="predictedLabelColumnName">The decoded label sequences (key vector of the same key count).</param>
    /// <exception cref="ArgumentException">A missing column or one that is not a key vector, key counts that differ, or a
    /// reference with a missing key (the message names the row).</exception>
    public static LstmSequenceMetrics EvaluateSequences(this MulticlassClassificationCatalog catalog, IDataView data,
        string labelColumnName = "Label", string predictedLabelColumnName = "PredictedLabel")
    {
        var (label, predicted, classes) = Columns(catalog, data, labelColumnName, predictedLabelColumnName);
        var pairs = ReadPairs(data, label, predicted, (gold, _, row) => RowChecks.CtcLabels(gold, int.MaxValue, classes, label.Name, row));
        double? wer = null;
        if (KeyValueAnnotations.Read(label) is { ItemType: "Text" } text)
        {
            string Text(int[] keys) => string.Concat(keys.Select(k => k >= 1 && k <= text.Values.Length ? text.Values[k - 1] : ""));
            wer = EditDistance.WordErrorRate(pairs.Select(p => (Text(p.Gold), Text(p.Predicted))));
        }
        return new LstmSequenceMetrics(EditDistance.ErrorRate(pairs), wer,
            pairs.Count == 0 ? double.NaN : (double)pairs.Count(p => p.Gold.AsSpan().SequenceEqual(p.Predicted)) / pairs.Count,
            pairs.Count, pairs.Sum(p => (long)p.Gold.Length));
    }

    private static (DataViewSchema.Column Label, DataViewSchema.Column Predicted, int Classes) Columns(
        MulticlassClassificationCatalog catalog, IDataView data, string labelColumnName, string predictedLabelColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        var label = KeyVector(data.Schema, labelColumnName, "label");
        var predicted = KeyVector(data.Schema, predictedLabelColumnName, "predicted label");
        ulong a = KeyCount(label), b = KeyCount(predicted);
        if (a != b)
            throw new ArgumentException(
                $"Column '{label.Name}' has {a} keys and column '{predicted.Name}' {b}: the predictions must use the label's keys.",
                nameof(data));
        return (label, predicted, (int)a);
    }

    private static DataViewSchema.Column KeyVector(DataViewSchema schema, string name, string role)
    {
        var col = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The {role} column '{name}' was not found in the data.", nameof(schema));
        if (col.Type is not VectorDataViewType { ItemType: KeyDataViewType { Count: > 0 and <= 1_000_000 } })
            throw new ArgumentException($"The {role} column '{name}' has type {col.Type}; expected a vector of keys.", nameof(schema));
        return col;
    }

    private static ulong KeyCount(DataViewSchema.Column c) => ((KeyDataViewType)((VectorDataViewType)c.Type).ItemType).Count;

    private static string[] TagNames(DataViewSchema.Column label, int classes) =>
        KeyValueAnnotations.Read(label) is { } kv && kv.Values.Length == classes
            ? kv.Values
            : [.. Enumerable.Range(1, classes).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private static List<(int[] Gold, int[] Predicted)> ReadPairs(IDataView data, DataViewSchema.Column label,
        DataViewSchema.Column predicted, Action<int[], int[], long> check)
    {
        var pairs = new List<(int[], int[])>();
        using var cursor = data.GetRowCursor([label, predicted]);
        var readGold = KeyVectorReader.Create(cursor, label);
        var readGuess = KeyVectorReader.Create(cursor, predicted);
        int[] gold = [], guess = [];
        while (cursor.MoveNext())
        {
            int n = readGold(ref gold), m = readGuess(ref guess);
            var pair = (gold[..n], guess[..m]);
            check(pair.Item1, pair.Item2, cursor.Position);
            pairs.Add(pair);
        }
        return pairs;
    }

    private static int[] Shift(int[] keys) => [.. keys.Select(k => k - 1)];

    private static string[] Named(int[] tags, string[] names) => [.. tags.Select(t => names[t])];
}
