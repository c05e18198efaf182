namespace Microsoft.ML.Lstm;

/// <summary>
/// Per-step (and per-feature) attributions of one prediction by integrated gradients (Sundararajan, Taly &amp; Yan 2017):
/// how much each input value moved each score from its value at the baseline input to its value at the row, along the
/// straight path between them. They add up to Score − BaselineScore (completeness), up to the error of the
/// <see cref="NumberOfPoints"/>-point midpoint rule (<see cref="CompletenessError"/>).
/// </summary>
public sealed class SequenceAttribution
{
    private readonly float[] _values;

    internal SequenceAttribution(float[] values, int outputs, int steps, int featuresPerStep, float[] score, float[] baselineScore,
        string baseline, int points)
    {
        (_values, Outputs, Steps, FeaturesPerStep, Score, BaselineScore, Baseline, NumberOfPoints) =
            (values, outputs, steps, featuresPerStep, score, baselineScore, baseline, points);
    }

    /// <summary>Scores explained: 1 (regression, binary), one per class (multiclass), or one per horizon step (forecasts).</summary>
    public int Outputs { get; }

    /// <summary>Steps of the row's sequence.</summary>
    public int Steps { get; }

    /// <summary>Values per step: the float features per step, or 1 for tokens (summed over the embedding) and series.</summary>
    public int FeaturesPerStep { get; }

    /// <summary>
    /// Per output, the score explained at the row: the Score column's value (regression value, binary logit, or class
    /// probability for multiclass), or the point forecast h steps ahead.
    /// </summary>
    public IReadOnlyList<float> Score { get; }

    /// <summary>Per output, the same score at the baseline input.</summary>
    public IReadOnlyList<float> BaselineScore { get; }

    /// <summary>The baseline the path starts from, in words.</summary>
    public string Baseline { get; }

    /// <summary>Interpolation points of the midpoint rule.</summary>
    public int NumberOfPoints { get; }

    /// <summary>
    /// The attribution of feature <paramref name="feature"/> at step <paramref name="step"/> to output
    /// <paramref name="output"/>.
    /// </summary>
    public float this[int output, int step, int feature = 0] => _values[(output * Steps + step) * FeaturesPerStep + feature];

    /// <summary>Per step, the attribution to <paramref name="output"/> summed over the step's features.</summary>
    public float[] StepTotals(int output = 0)
    {
        var totals = new float[Steps];
        for (int t = 0; t < Steps; t++)
            for (int f = 0; f < FeaturesPerStep; f++) totals[t] += this[output, t, f];
        return totals;
    }

    /// <summary>
    /// <paramref name="attribute"/>(m) for the points asked for; when none are (null), for m = <paramref name="first"/>,
    /// doubled until every output adds up within 1% (<see cref="CompletenessError"/>) or m reaches <paramref name="most"/>:
    /// the adaptive default of every <c>Explain</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Points asked for outside 1 … 4096 (named numberOfPoints).</exception>
    internal static SequenceAttribution WithPoints(int? numberOfPoints, int first, int most, Func<int, SequenceAttribution> attribute)
    {
        if (numberOfPoints is { } given)
        {
            if (given < 1 || given > Core.IntegratedGradients.MaxPoints)
                throw new ArgumentOutOfRangeException(nameof(numberOfPoints), given,
                    $"numberOfPoints must be 1 … {Core.IntegratedGradients.MaxPoints}.");
            return attribute(given);
        }
        var result = attribute(first);
        for (int m = 2 * first; m <= most && Enumerable.Range(0, result.Outputs).Any(k => result.CompletenessError(k) > 0.01); m *= 2)
            result = attribute(m);
        return result;
    }

    /// <summary>
    /// |Σ attributions − (Score − BaselineScore)| / |Score − BaselineScore| for <paramref name="output"/>: how far the
    /// attributions are from adding up exactly (0 when the score does not move).
    /// </summary>
    public double CompletenessError(int output = 0)
    {
        double sum = StepTotals(output).Sum(v => (double)v), change = (double)Score[output] - BaselineScore[output];
        return change == 0 ? Math.Abs(sum) : Math.Abs(sum - change) / Math.Abs(change);
    }
}
