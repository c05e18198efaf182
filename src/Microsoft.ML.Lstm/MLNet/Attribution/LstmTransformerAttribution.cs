using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm;

public sealed partial class LstmTransformer
{
    /// <summary>Interpolation points the adaptive default starts from (and doubles, up to 1,024).</summary>
    private const int FirstPoints = 64, MostPoints = 1024;

    /// <summary>
    /// Attributes one row's scores to its steps and features by integrated gradients (see <see cref="SequenceAttribution"/>).
    /// </summary>
    /// <param name="features">The row's float sequence, flattened step after step, as in the feature column.</param>
    /// <param name="baseline">The input the path starts from, same length; null: all zeros (the "nothing" input).</param>
    /// <param name="numberOfPoints">Interpolation points of the midpoint rule; null (default): 64, doubled until the
    /// attributions add up to the score change within 1% (<see cref="SequenceAttribution.CompletenessError"/>) or 1,024
    /// points are reached (a max pooling or a sharply trained model has kinks along the path that need more).</param>
    /// <exception cref="ArgumentException">A token model, a length that is not whole steps, a baseline of another length, a
    /// value that is not finite, or points outside 1 … 4096.</exception>
    /// <exception cref="NotSupportedException">A tagging, CTC or word model.</exception>
    public SequenceAttribution Explain(float[] features, float[]? baseline = null, int? numberOfPoints = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        Explainable();
        if (Model.TokenKeyCount > 0)
            throw new ArgumentException("This model reads tokens: pass the row's key values (uint[]).", nameof(features));
        int F = Model.FeaturesPerStep;
        if (features.Length == 0 || features.Length % F != 0)
            throw new ArgumentException($"The row has {features.Length} values; the model reads whole steps of {F}.", nameof(features));
        if (baseline is not null && baseline.Length != features.Length)
            throw new ArgumentException($"The baseline has {baseline.Length} values; the row has {features.Length}.", nameof(baseline));
        Finite(features, nameof(features));
        if (baseline is not null) Finite(baseline, nameof(baseline));
        return Attribute(Model.Network, features, baseline ?? new float[features.Length], F, numberOfPoints,
            baseline is null ? "all zeros" : "given");
    }

    /// <summary>Throws for the models whose outputs are not one score vector per sequence of float or key input.</summary>
    private void Explainable()
    {
        if (Model.Task is LstmTask.Tagging or LstmTask.Ctc)
            throw new NotSupportedException($"Explain attributes one score per sequence; a {Model.Task} model scores every step.");
        if (Model.Words is not null)
            throw new NotSupportedException("Explain reads float or key-typed input; this model reads words (text).");
    }

    /// <summary>
    /// Attributes one row's scores to its tokens by integrated gradients in embedding space: the path runs from the zero
    /// embedding at every step to the row's embedded tokens; a step's attribution is summed over its embedding.
    /// </summary>
    /// <param name="tokens">The row's key values, as in the feature column (0 = missing, 1 … key count).</param>
    /// <param name="numberOfPoints">Interpolation points; null (default): adaptive, as for float input.</param>
    /// <exception cref="ArgumentException">A float model, no tokens, a key value out of range, or points outside 1 … 4096.</exception>
    /// <exception cref="NotSupportedException">A tagging, CTC or word model.</exception>
    public SequenceAttribution Explain(uint[] tokens, int? numberOfPoints = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        Explainable();
        if (Model.TokenKeyCount == 0)
            throw new ArgumentException("This model reads float features: pass the row's values (float[]).", nameof(tokens));
        if (tokens.Length == 0) throw new ArgumentException("The row has no tokens.", nameof(tokens));
        for (int t = 0; t < tokens.Length; t++)
            if (tokens[t] > Model.TokenKeyCount)
                throw new ArgumentException($"Token {t} has key {tokens[t]}; the model knows keys 1 … {Model.TokenKeyCount}.",
                    nameof(tokens));
        var net = Model.Network;
        var embedded = IntegratedGradients.Embed(net, tokens.Select(k => (int)k).ToArray());
        var twin = IntegratedGradients.EmbeddedTwin(net);
        var perValue = Attribute(twin, embedded, new float[embedded.Length], net.Spec.InputSize, numberOfPoints, "zero embedding");
        int T = tokens.Length, E = net.Spec.InputSize, K = perValue.Outputs;
        var perStep = new float[K * T];
        for (int k = 0; k < K; k++)
            for (int t = 0; t < T; t++)
                for (int e = 0; e < E; e++) perStep[k * T + t] += perValue[k, t, e];
        return new SequenceAttribution(perStep, K, T, 1, [.. perValue.Score], [.. perValue.BaselineScore], perValue.Baseline,
            perValue.NumberOfPoints);
    }

    /// <summary>The points asked for, or the adaptive default (<see cref="SequenceAttribution.WithPoints"/>).</summary>
    private SequenceAttribution Attribute(LstmNetwork<float> net, float[] x, float[] baseline, int featuresPerStep, int? points,
        string baselineName) =>
        SequenceAttribution.WithPoints(points, FirstPoints, MostPoints, m => Attribute(net, x, baseline, featuresPerStep, m, baselineName));

    private SequenceAttribution Attribute(LstmNetwork<float> net, float[] x, float[] baseline, int featuresPerStep, int points,
        string baselineName)
    {
        int K = Model.Task == LstmTask.MulticlassClassification ? Model.OutputSize : 1, T = x.Length / featuresPerStep;
        var values = new float[K * x.Length];
        var (score, baselineScore) = (new float[K], new float[K]);
        for (int k = 0; k < K; k++)
        {
            var (a, s, s0) = IntegratedGradients.Compute(net, x, baseline, points, ScoreOf(k));
            a.CopyTo(values, k * x.Length);
            (score[k], baselineScore[k]) = ((float)s, (float)s0);
        }
        return new SequenceAttribution(values, K, T, featuresPerStep, score, baselineScore, baselineName, points);
    }

    /// <summary>Output <paramref name="k"/>'s Score column value from the head outputs, and its gradient.</summary>
    private Func<ReadOnlySpan<float>, float[], double> ScoreOf(int k)
    {
        if (Model.Task != LstmTask.MulticlassClassification)
            return (y, dy) =>
            {
                dy[0] = 1;
                return y[0];
            };
        return (y, dy) =>
        {
            SoftmaxCrossEntropyLoss<float>.Softmax(y, dy);
            float p = dy[k];
            for (int i = 0; i < dy.Length; i++) dy[i] = p * ((i == k ? 1 : 0) - dy[i]);
            return p;
        };
    }

    private static void Finite(float[] values, string name)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) throw new ArgumentException($"Value {i} ({values[i]}) is not finite.", name);
    }
}
