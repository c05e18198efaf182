using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>Token accuracy, per-tag precision/recall/F1, confusion and BIO span F1, against hand counts.</summary>
public class TaggingMetricsTests
{
    [Fact]
    public void TokenMetrics_MatchHandCounts()
    {
        // Gold 0 0 1 2 | 1 1; predicted 0 1 1 2 | 1 0 → 4 of 6 right.
        var m = TaggingMetrics.Compute([([0, 0, 1, 2], [0, 1, 1, 2]), ([1, 1], [1, 0])], tags: 4);
        Assert.Equal(4.0 / 6, m.Accuracy, 12);
        Assert.Equal(1, m.Confusion[0, 1]);
        Assert.Equal(1, m.Confusion[1, 0]);
        Assert.Equal(0.5, m.Precision[0], 12);       // predicted 0 twice, right once
        Assert.Equal(0.5, m.Recall[0], 12);          // gold 0 twice, found once
        Assert.Equal(2.0 / 3, m.Precision[1], 12);   // predicted 1 three times, right twice
        Assert.Equal(2.0 / 3, m.Recall[1], 12);
        Assert.Equal(1.0, m.F1[2], 12);
        Assert.True(double.IsNaN(m.Recall[3]) && double.IsNaN(m.Precision[3]));   // never seen, never predicted
        Assert.Throws<ArgumentException>(() => TaggingMetrics.Compute([([0, 1], [0])], 2));
        Assert.Throws<ArgumentException>(() => TaggingMetrics.Compute([([0, 2], [0, 1])], 2));
    }

    [Fact]
    public void SpanF1_FollowsTheConllConvention()
    {
        string[] gold = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG", "O"];
        // Spans: PER 0-2, LOC 3-4, LOC 4-5, ORG 5-6 (an I- after another type starts a span).
        string[] predicted = ["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "I-ORG", "O"];
        // Spans: PER 0-2 (right), LOC 3-5 (wrong end), ORG 5-6 (right).
        var (p, r, f1) = TaggingMetrics.SpanF1([(gold, predicted)]);
        Assert.Equal(2.0 / 3, p, 12);
        Assert.Equal(2.0 / 4, r, 12);
        Assert.Equal(2 * (2.0 / 3) * 0.5 / (2.0 / 3 + 0.5), f1, 12);
        Assert.Equal((1.0, 1.0, 1.0), TaggingMetrics.SpanF1([(gold, gold)]));
        Assert.Equal((0.0, 0.0, 0.0), TaggingMetrics.SpanF1([(["O", "O"], ["O", "O"])]));
    }
}
