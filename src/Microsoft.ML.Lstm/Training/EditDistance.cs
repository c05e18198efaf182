namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// Levenshtein distance (insertions, deletions and substitutions, each 1) and the error rates built on it: character
/// error rate over label sequences, word error rate over texts split at white space.
/// </summary>
internal static class EditDistance
{
    /// <summary>
    /// The fewest insertions, deletions and substitutions that turn <paramref name="hypothesis"/> into
    /// <paramref name="reference"/>.
    /// </summary>
    public static int Distance<T>(ReadOnlySpan<T> reference, ReadOnlySpan<T> hypothesis) where T : IEquatable<T>
    {
        var previous = new int[hypothesis.Length + 1];
        var current = new int[hypothesis.Length + 1];
        for (int j = 0; j <= hypothesis.Length; j++) previous[j] = j;
        for (int i = 1; i <= reference.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= hypothesis.Length; j++)
            {
                int substitute = previous[j - 1] + (reference[i - 1].Equals(hypothesis[j - 1]) ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[hypothesis.Length];
    }

    /// <summary>Σ distances / Σ reference lengths over the pairs (0 when every reference is empty and matched).</summary>
    public static double ErrorRate<T>(IEnumerable<(T[] Reference, T[] Hypothesis)> pairs) where T : IEquatable<T>
    {
        long edits = 0, length = 0;
        foreach (var (reference, hypothesis) in pairs)
        {
            edits += Distance<T>(reference, hypothesis);
            length += reference.Length;
        }
        return length == 0 ? (edits == 0 ? 0 : double.PositiveInfinity) : (double)edits / length;
    }

    /// <summary>Word error rate: <see cref="ErrorRate{T}"/> over the texts' words (split at white space).</summary>
    public static double WordErrorRate(IEnumerable<(string Reference, string Hypothesis)> pairs) =>
        ErrorRate(pairs.Select(p => (Words(p.Reference), Words(p.Hypothesis))));

    private static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
