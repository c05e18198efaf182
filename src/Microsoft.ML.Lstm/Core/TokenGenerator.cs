namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// Generates tokens from a language model: a token network with a per-step head whose output classes are next tokens
/// (class c stands for input token <c>classTokens[c]</c>, identity when null). The prefix runs once; after that every new
/// token costs one LSTM step, the state (h, c) carried from step to step. The next token is drawn from
/// softmax(logits / temperature) restricted to the <c>topK</c> most probable classes (all when 0), with a seeded
/// <see cref="Rng"/>; temperature 0 takes the most probable class (greedy).
/// </summary>
internal sealed class TokenGenerator
{
    private readonly LstmNetwork<float> _net;
    private readonly int[]? _classTokens;

    /// <exception cref="ArgumentException">Not a per-step token network, or a class map of the wrong size.</exception>
    public TokenGenerator(LstmNetwork<float> net, int[]? classTokens = null)
    {
        if (net.Spec.Head != HeadKind.ManyToMany || net.Spec.VocabularySize == 0 || net.Spec.Bidirectional)
            throw new ArgumentException("A language model is a unidirectional token network with a per-step head.", nameof(net));
        if (classTokens is not null && classTokens.Length != net.Spec.OutputSize)
            throw new ArgumentException($"The class map has {classTokens.Length} entries; the head has {net.Spec.OutputSize}.",
                nameof(classTokens));
        (_net, _classTokens) = (net, classTokens);
    }

    /// <summary><paramref name="length"/> tokens following <paramref name="prefix"/> (at least one token).</summary>
    public int[] Generate(ReadOnlySpan<int> prefix, int length, double temperature, int topK, ulong seed)
    {
        if (prefix.Length == 0) throw new ArgumentException("The prefix needs at least one token.", nameof(prefix));
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!(temperature >= 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be ≥ 0 and finite.");
        ArgumentOutOfRangeException.ThrowIfNegative(topK);
        int C = _net.Spec.OutputSize;
        var ws = _net.CreateWorkspace();
        var rng = new Rng(seed);
        var logits = new float[C];
        var output = _net.Forward(ws, new SequenceBatch<float>(prefix.Length, 1, 1, null, prefix.ToArray()));
        output.Slice((prefix.Length - 1) * C, C).CopyTo(logits);
        var hidden = ws.FinalHidden.ToArray();
        var cell = ws.FinalCell.ToArray();
        var generated = new int[length];
        var token = new int[1];
        var batch = new SequenceBatch<float>(1, 1, 1, null, token);
        var order = new int[C];
        var weights = new double[C];
        for (int i = 0; i < length; i++)
        {
            int c = Draw(logits, temperature, topK, rng, order, weights);
            generated[i] = token[0] = _classTokens?[c] ?? c;
            if (i == length - 1) break;
            batch.Reset(1, 1, 1, null, token);
            batch.InitialHidden = hidden;
            batch.InitialCell = cell;
            _net.Forward(ws, batch).CopyTo(logits);
            ws.FinalHidden.CopyTo(hidden);
            ws.FinalCell.CopyTo(cell);
        }
        return generated;
    }

    /// <summary>One class from softmax(logits / T) over the top k (the argmax when T = 0).</summary>
    private static int Draw(float[] logits, double temperature, int topK, Rng rng, int[] order, double[] weights)
    {
        int C = logits.Length;
        for (int c = 0; c < C; c++) order[c] = c;
        Array.Sort(order, (a, b) => logits[b] != logits[a] ? logits[b].CompareTo(logits[a]) : a.CompareTo(b));   // ties by index
        if (temperature == 0) return order[0];
        int k = topK == 0 ? C : Math.Min(topK, C);
        double max = logits[order[0]], sum = 0;
        for (int i = 0; i < k; i++) sum += weights[i] = Math.Exp((logits[order[i]] - max) / temperature);
        double u = rng.NextDouble() * sum;
        for (int i = 0; i < k; i++)
            if ((u -= weights[i]) < 0) return order[i];
        return order[k - 1];
    }
}
