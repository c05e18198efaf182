using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm;

/// <summary>
/// How well a tagger labels every step (<c>mlContext.MulticlassClassification.EvaluateTagging</c>): token accuracy, per-tag
/// precision, recall and F1 (in key order, named by <see cref="TagNames"/>), the confusion matrix, and for BIO-style tags
/// (B-X, I-X, O) span-level precision, recall and F1 in the CoNLL convention (a span counts only when its type and both
/// ends match).
/// </summary>
public sealed class LstmTaggingMetrics
{
    private readonly TaggingMetrics _m;

    internal LstmTaggingMetrics(TaggingMetrics metrics, string[] tagNames, long tokens,
        (double Precision, double Recall, double F1)? spans)
    {
        _m = metrics;
        TagNames = tagNames;
        NumberOfTokens = tokens;
        if (spans is { } s) (SpanPrecision, SpanRecall, SpanF1) = (s.Precision, s.Recall, s.F1);
    }

    /// <summary>Share of steps tagged right.</summary>
    public double Accuracy => _m.Accuracy;

    /// <summary>Steps evaluated.</summary>
    public long NumberOfTokens { get; }

    /// <summary>The tags in key order (the label's key values, or "1", "2", … without them).</summary>
    public IReadOnlyList<string> TagNames { get; }

    /// <summary>Per tag: right among the steps predicted as it (NaN when never predicted).</summary>
    public IReadOnlyList<double> PerTagPrecision => _m.Precision;

    /// <summary>Per tag: right among the steps that have it (NaN when it never occurs).</summary>
    public IReadOnlyList<double> PerTagRecall => _m.Recall;

    /// <summary>Per tag: the harmonic mean of precision and recall.</summary>
    public IReadOnlyList<double> PerTagF1 => _m.F1;

    /// <summary>Steps with gold tag <paramref name="gold"/> predicted as <paramref name="predicted"/> (key order, from 0).</summary>
    public long Confusion(int gold, int predicted) => _m.Confusion[gold, predicted];

    /// <summary>Span precision for BIO tags; null when no tag starts with "B-".</summary>
    public double? SpanPrecision { get; }

    /// <summary>Span recall for BIO tags; null when no tag starts with "B-".</summary>
    public double? SpanRecall { get; }

    /// <summary>Span F1 for BIO tags; null when no tag starts with "B-".</summary>
    public double? SpanF1 { get; }
}
