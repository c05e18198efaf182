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
}
