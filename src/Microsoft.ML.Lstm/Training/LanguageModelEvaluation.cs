using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// How well a language model (a unidirectional token network with a per-step head over next-token classes) predicts
/// held-out sequences: the mean of −log₂ p(next token) over every predicted step, bits per token (per character for a
/// character model); perplexity is 2 to that power.
/// </summary>
internal static class LanguageModelEvaluation
{
    /// <summary>Bits per token over <paramref name="sequences"/> (steps 2 … n of each are predicted).</summary>
    /// <param name="net">The model.</param>
    /// <param name="sequences">Token ids as the network reads them.</param>
    /// <param name="classOf">The class of a next token; null: the token id itself.</param>
    /// <exception cref="ArgumentException">A next token with no class (outside the model's vocabulary), or no step to
    /// predict.</exception>
    public static double BitsPerToken(LstmNetwork<float> net, IEnumerable<int[]> sequences, Func<int, int>? classOf = null)
    {
        int C = net.Spec.OutputSize;
        var ws = net.CreateWorkspace();
        var logp = new float[C];
        double bits = 0;
        long count = 0;
        foreach (var tokens in sequences)
        {
            if (tokens.Length < 2) continue;
            var y = net.Forward(ws, new SequenceBatch<float>(tokens.Length, 1, 1, null, tokens));
            for (int t = 0; t + 1 < tokens.Length; t++)
            {
                int c = classOf?.Invoke(tokens[t + 1]) ?? tokens[t + 1];
                if ((uint)c >= (uint)C)
                    throw new ArgumentException($"Token {tokens[t + 1]} has no class in the model's {C}.", nameof(sequences));
                SoftmaxCrossEntropyLoss<float>.LogSoftmax(y.Slice(t * C, C), logp);
                bits -= logp[c] / Math.Log(2);
                count++;
            }
        }
        return count > 0 ? bits / count : throw new ArgumentException("No sequence has a step to predict.", nameof(sequences));
    }
    /// <summary>
    /// The bits of every next token of one stream, −Σ log₂ p(tokens[t + 1] | tokens[0..t]), with the state carried across
    /// the whole stream: it runs in pieces of <paramref name="piece"/> steps, each starting from the state the previous one
    /// ended in, so the result equals one forward pass over the whole stream at bounded memory. Classes are token ids.
    /// </summary>
    /// <returns>The total bits and the number of tokens predicted (length − 1).</returns>
    /// <exception cref="ArgumentException">Fewer than two tokens, or a token with no class.</exception>
    public static (double Bits, long Count) Score(LstmNetwork<float> net, ReadOnlySpan<int> tokens, int piece = 256)
    {
        if (tokens.Length < 2) throw new ArgumentException("The stream needs at least two tokens.", nameof(tokens));
        ArgumentOutOfRangeException.ThrowIfLessThan(piece, 1);
        int C = net.Spec.OutputSize;
        var ws = net.CreateWorkspace();
        var logp = new float[C];
        float[]? hidden = null, cell = null;
        var batch = new SequenceBatch<float>(1, 1, 1, null);
        double bits = 0;
        int last = tokens.Length - 1;   // inputs 0 .. last − 1 predict 1 .. last
        for (int start = 0; start < last; start += piece)
        {
            int n = Math.Min(piece, last - start);
            batch.Reset(n, 1, 1, null, tokens.Slice(start, n).ToArray());
            batch.InitialHidden = hidden;
            batch.InitialCell = cell;
            var y = net.Forward(ws, batch);
            for (int t = 0; t < n; t++)
            {
                int c = tokens[start + t + 1];
                if ((uint)c >= (uint)C) throw new ArgumentException($"Token {c} has no class in the model's {C}.", nameof(tokens));
                SoftmaxCrossEntropyLoss<float>.LogSoftmax(y.Slice(t * C, C), logp);
                bits -= logp[c] / Math.Log(2);
            }
            hidden = ws.FinalHidden.ToArray();
            cell = ws.FinalCell.ToArray();
        }
        return (bits, last);
    }
}
