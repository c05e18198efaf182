namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// How well a tagger labels every element of its sequences: token accuracy, per-tag precision, recall and F1, the
/// confusion matrix (rows gold, columns predicted), and span-level F1 for BIO-style tags.
/// </summary>
/// <param name="Accuracy">Share of tokens tagged right.</param>
/// <param name="Precision">Per tag: right among the tokens predicted as it (NaN when never predicted).</param>
/// <param name="Recall">Per tag: right among the tokens that have it (NaN when it never occurs).</param>
/// <param name="F1">Per tag: the harmonic mean of precision and recall (0 when both are 0, NaN when either is NaN).</param>
/// <param name="Confusion">[gold × predicted] token counts.</param>
internal sealed record TaggingMetrics(double Accuracy, double[] Precision, double[] Recall, double[] F1, long[,] Confusion)
{
    /// <summary>The metrics of tag indices 0 … <paramref name="tags"/> − 1 over sentences of equal gold and predicted length.</summary>
    /// <exception cref="ArgumentException">A sentence whose prediction has another length, or a tag out of range.</exception>
    public static TaggingMetrics Compute(IEnumerable<(int[] Gold, int[] Predicted)> sentences, int tags)
    {
        var confusion = new long[tags, tags];
        long right = 0, total = 0;
        int n = 0;
        foreach (var (gold, predicted) in sentences)
        {
            if (gold.Length != predicted.Length)
                throw new ArgumentException($"Sentence {n} has {gold.Length} gold tags and {predicted.Length} predicted.",
                    nameof(sentences));
            for (int i = 0; i < gold.Length; i++)
            {
                if ((uint)gold[i] >= (uint)tags || (uint)predicted[i] >= (uint)tags)
                    throw new ArgumentException($"Sentence {n}, token {i}: tag out of 0 … {tags - 1}.", nameof(sentences));
                confusion[gold[i], predicted[i]]++;
                if (gold[i] == predicted[i]) right++;
                total++;
            }
            n++;
        }
        var (precision, recall, f1) = (new double[tags], new double[tags], new double[tags]);
        for (int t = 0; t < tags; t++)
        {
            long asGold = 0, asPredicted = 0;
            for (int u = 0; u < tags; u++) { asGold += confusion[t, u]; asPredicted += confusion[u, t]; }
            precision[t] = asPredicted == 0 ? double.NaN : (double)confusion[t, t] / asPredicted;
            recall[t] = asGold == 0 ? double.NaN : (double)confusion[t, t] / asGold;
            f1[t] = precision[t] + recall[t] == 0 ? 0 : 2 * precision[t] * recall[t] / (precision[t] + recall[t]);
        }
        return new TaggingMetrics(total == 0 ? double.NaN : (double)right / total, precision, recall, f1, confusion);
    }

    /// <summary>
    /// Span-level F1 for BIO tags (CoNLL convention): a span starts at B-X, or at I-X after anything but B-X / I-X,
    /// and runs over the I-X after it; a predicted span counts only when its type and both ends match a gold span.
    /// Tags other than B-… and I-… (such as O) are outside every span.
    /// </summary>
    public static (double Precision, double Recall, double F1) SpanF1(IEnumerable<(string[] Gold, string[] Predicted)> sentences)
    {
        long matched = 0, gold = 0, predicted = 0;
        foreach (var (g, p) in sentences)
        {
            var goldSpans = Spans(g);
            var predictedSpans = Spans(p);
            gold += goldSpans.Count;
            predicted += predictedSpans.Count;
            matched += predictedSpans.Count(goldSpans.Contains);
        }
        double precision = predicted == 0 ? 0 : (double)matched / predicted, recall = gold == 0 ? 0 : (double)matched / gold;
        return (precision, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
    }

    private static HashSet<(string Type, int Start, int End)> Spans(string[] tags)
    {
        var spans = new HashSet<(string, int, int)>();
        string? type = null;
        int start = 0;
        for (int i = 0; i <= tags.Length; i++)
        {
            string tag = i < tags.Length ? tags[i] : "O";
            bool begins = tag.StartsWith("B-", StringComparison.Ordinal);
            bool inside = tag.StartsWith("I-", StringComparison.Ordinal);
            string? current = begins || inside ? tag[2..] : null;
            bool continues = inside && current == type;
            if (type is not null && !continues) spans.Add((type, start, i));
            if (current is not null && !continues) (type, start) = (current, i);
            else if (current is null) type = null;
        }
        return spans;
    }
}
