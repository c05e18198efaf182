using System.Text;
using System.Text.RegularExpressions;

namespace Microsoft.ML.Lstm;

/// <summary>
/// The tokens of a language model and the ids the network reads and predicts. Id 0 is the text boundary (a text starts
/// after it, and in training the next text follows it); id 1 is the unknown token, which stands for every token not in the
/// vocabulary; ids 2 … are the tokens seen at least twice in the training texts, in ordinal order. Tokens seen only once
/// are trained as the unknown token, so it learns a real probability of "something rare" and a token never seen in
/// training is scored by it (a finite number of bits).
/// </summary>
internal sealed partial class TextVocabulary
{
    public const int Boundary = 0, Unknown = 1;

    /// <summary>Names of the two special entries in <see cref="Tokens"/>.</summary>
    public const string BoundaryName = "<boundary>", UnknownName = "<unk>";

    /// <summary>Most tokens a vocabulary may hold (the width of the network's embedding and head).</summary>
    public const int MaxTokens = 1 << 20;

    private readonly Dictionary<string, int> _ids;

    public TextVocabulary(LstmTokenLevel level, IReadOnlyList<string> tokens)
    {
        if (tokens.Count < 2 || tokens[Boundary] != BoundaryName || tokens[Unknown] != UnknownName)
            throw new ArgumentException("A vocabulary starts with the boundary and unknown tokens.", nameof(tokens));
        Level = level;
        Tokens = [.. tokens];
        _ids = new Dictionary<string, int>(Tokens.Length, StringComparer.Ordinal);
        for (int i = 2; i < Tokens.Length; i++)
            if (string.IsNullOrEmpty(Tokens[i]) || !_ids.TryAdd(Tokens[i], i))
                throw new ArgumentException($"Token {i} is empty or repeated.", nameof(tokens));
    }

    /// <summary>Character or word level.</summary>
    public LstmTokenLevel Level { get; }

    /// <summary>The token of every id (the two special entries first).</summary>
    public string[] Tokens { get; }

    /// <summary>Number of ids, the network's vocabulary and class count.</summary>
    public int Count => Tokens.Length;

    /// <summary>The vocabulary of <paramref name="texts"/>: every token seen at least twice.</summary>
    public static TextVocabulary Build(LstmTokenLevel level, IEnumerable<string> texts)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (var token in Split(level, text))
                counts[token] = counts.GetValueOrDefault(token) + 1;
        var kept = counts.Where(p => p.Value >= 2).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        if (kept.Count + 2 > MaxTokens)
            throw new ArgumentException(
                $"The texts have {kept.Count:N0} distinct tokens seen twice or more; a language model holds at most {MaxTokens - 2:N0}.",
                "input");
        return new TextVocabulary(level, [BoundaryName, UnknownName, .. kept]);
    }

    /// <summary>The tokens of <paramref name="text"/> at <paramref name="level"/>.</summary>
    public static IEnumerable<string> Split(LstmTokenLevel level, string text)
    {
        if (level == LstmTokenLevel.Character)
        {
            foreach (char c in text) yield return c.ToString();
            yield break;
        }
        foreach (Match m in WordPattern().Matches(text.ToLowerInvariant())) yield return m.Value;
    }

    /// <summary>The boundary id followed by the ids of the tokens of <paramref name="text"/>.</summary>
    public int[] Encode(string text)
    {
        var ids = new List<int>(text.Length + 1) { Boundary };
        foreach (var token in Split(Level, text)) ids.Add(_ids.GetValueOrDefault(token, Unknown));
        return [.. ids];
    }

    /// <summary>
    /// Generated ids as text: characters one after another, words joined by single spaces; the boundary is written as a
    /// line break and the unknown token as U+FFFD (the replacement character).
    /// </summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var sb = new StringBuilder();
        foreach (int id in ids)
        {
            string s = id switch { Boundary => "\n", Unknown => "\uFFFD", _ => Tokens[id] };
            if (Level == LstmTokenLevel.Word && sb.Length > 0 && sb[^1] != '\n' && s != "\n") sb.Append(' ');
            sb.Append(s);
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
