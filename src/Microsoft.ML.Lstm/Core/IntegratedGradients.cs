namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// Integrated gradients (Sundararajan, Taly &amp; Yan 2017) of a scalar score s(y) of a many-to-one network's output y for
/// one float sequence x [T × F], relative to a baseline x′ of the same shape: a_i = (x_i − x′_i) · (1/m) Σ_j ∂s/∂x_i at
/// x′ + α_j (x − x′), α_j = (j + ½)/m (the midpoint rule). The attributions sum to s(x) − s(x′) up to the rule's error
/// (completeness). All m points run as one batch of m sequences: one forward and one backward pass.
/// </summary>
internal static class IntegratedGradients
{
    /// <summary>The largest number of interpolation points.</summary>
    public const int MaxPoints = 4096;

    /// <summary>
    /// Attributions [T·F] of <paramref name="score"/> (writes ∂s/∂y into its span argument and returns s) for
    /// <paramref name="x"/>, and s(x), s(x′).
    /// </summary>
    public static (float[] Attributions, double Score, double BaselineScore) Compute(LstmNetwork<float> net,
        ReadOnlySpan<float> x, ReadOnlySpan<float> baseline, int points, Func<ReadOnlySpan<float>, float[], double> score)
    {
        var spec = net.Spec;
        int F = spec.InputSize, T = x.Length / F, O = spec.OutputSize, m = points;
        if (spec.VocabularySize > 0 || spec.Head != HeadKind.ManyToOne)
            throw new ArgumentException("Integrated gradients here need a many-to-one network on float input.", nameof(net));
        var ws = net.CreateWorkspace();
        var dy = new float[O];

        // s(x′) and s(x): a batch of two.
        var ends = new float[T * 2 * F];
        for (int t = 0; t < T; t++)
        {
            baseline.Slice(t * F, F).CopyTo(ends.AsSpan((t * 2) * F, F));
            x.Slice(t * F, F).CopyTo(ends.AsSpan((t * 2 + 1) * F, F));
        }
        var y = net.Forward(ws, new SequenceBatch<float>(T, 2, F, ends)).ToArray();
        double baselineScore = score(y.AsSpan(0, O), dy), xScore = score(y.AsSpan(O, O), dy);

        // The m interpolation points as one batch, and dL/dx = ∂s/∂x at each.
        var inputs = new float[T * m * F];
        for (int t = 0; t < T; t++)
            for (int j = 0; j < m; j++)
            {
                float alpha = (j + 0.5f) / m;
                for (int f = 0; f < F; f++)
                {
                    int i = t * F + f;
                    inputs[(t * m + j) * F + f] = baseline[i] + alpha * (x[i] - baseline[i]);
                }
            }
        ws.ComputeInputGradient = true;
        var outputs = net.Forward(ws, new SequenceBatch<float>(T, m, F, inputs)).ToArray();
        var dOutput = new float[m * O];
        for (int j = 0; j < m; j++)
        {
            score(outputs.AsSpan(j * O, O), dy);
            dy.CopyTo(dOutput, j * O);
        }
        net.Backward(ws, dOutput, net.Parameters.ZerosLike());
        var gradient = ws.InputGradient;
        var attributions = new float[T * F];
        for (int t = 0; t < T; t++)
            for (int f = 0; f < F; f++)
            {
                double sum = 0;
                for (int j = 0; j < m; j++) sum += gradient[(t * m + j) * F + f];
                int i = t * F + f;
                attributions[i] = (float)((x[i] - baseline[i]) * sum / m);
            }
        return (attributions, xScore, baselineScore);
    }

    /// <summary>
    /// A float-input copy of a token network: the same layers, head and pooling, fed the embedded tokens [T × K·E]
    /// directly, so the path from the baseline to the input can run through embedding space.
    /// </summary>
    public static LstmNetwork<float> EmbeddedTwin(LstmNetwork<float> net)
    {
        var twin = new LstmNetwork<float>(net.Spec with { VocabularySize = 0, TokensPerStep = 1 }, net.Compute);
        foreach (var slot in twin.Parameters.Slots)
            net.Parameters[slot.Name].CopyTo(twin.Parameters.Values.AsSpan(slot.Offset, slot.Length));
        return twin;
    }

    /// <summary>The embedding rows of <paramref name="tokens"/> (K ids per step), [T × K·E].</summary>
    public static float[] Embed(LstmNetwork<float> net, int[] tokens)
    {
        int K = net.Spec.TokensPerStep, T = tokens.Length / K;
        var x = new float[T * net.Spec.InputSize];
        Embedding.Forward<float>(net.Parameters["embedding"], new SequenceBatch<float>(T, 1, K, null, tokens), net.Spec.EmbeddingSize, x);
        return x;
    }
}
