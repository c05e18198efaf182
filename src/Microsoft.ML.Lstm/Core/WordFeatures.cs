namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// The ids a word network reads for one word: <see cref="Slots"/> ids in one vocabulary — the lowercased word, its last
/// three and last two characters (lowercased) and its shape (letters as X / x, digits as d, other characters as
/// themselves, runs collapsed: "Fulton" → "Xx", "1961" → "d", "U.S." → "X.X."). Words, suffixes and shapes seen fewer than
/// <see cref="MinimumCount"/> times in training share their kind's unknown id, so the network learns from the rare words
/// of training what to make of a word it has never seen, which still brings its suffixes and shape.
/// Immutable once built; <see cref="Encode"/> allocates nothing and is safe from several threads.
/// </summary>
internal sealed class WordFeatures
{
    /// <summary>Ids per word: word, suffix of three, suffix of two, shape.</summary>
    public const int Slots = 4;

    /// <summary>Occurrences in training a word, suffix or shape needs to get its own id.</summary>
    public const int MinimumCount = 2;

    /// <summary>Longest word, suffix or shape text kept (longer words are looked up by their first characters).</summary>
    public const int MaxLength = 64;

    private const char Separator = '\u001f';
    private static readonly char[] Kinds = ['w', 's', 't', 'p'];   // word, suffix 3, suffix 2, shape
    private readonly string[] _entries;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>A vocabulary of the given entries (as <see cref="Entries"/> lists them).</summary>
    /// <exception cref="ArgumentException">An entry that is not "kind␟text" of a known kind, or one listed twice.</exception>
    public WordFeatures(IReadOnlyList<string> entries)
    {
        _entries = [.. entries];
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _entries.Length; i++)
        {
            string e = _entries[i] ?? throw new ArgumentException($"Entry {i} is null.", nameof(entries));
            if (e.Length < 2 || e[1] != Separator || Array.IndexOf(Kinds, e[0]) < 0 || e.Length - 2 > MaxLength)
                throw new ArgumentException($"Entry {i} is not a word feature.", nameof(entries));
            if (!ids.TryAdd(e, Slots + i)) throw new ArgumentException($"Entry {i} is listed twice.", nameof(entries));
        }
        _lookup = ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The known words, suffixes and shapes, "kind␟text" in id order from id <see cref="Slots"/> on.</summary>
    public IReadOnlyList<string> Entries => _entries;

    /// <summary>Ids in use: the unknown id of each slot (0 … <see cref="Slots"/> − 1) and one per entry.</summary>
    public int VocabularySize => Slots + _entries.Length;

    /// <summary>The vocabulary of <paramref name="words"/> (every word of the training data, repeats included).</summary>
    public static WordFeatures Build(IEnumerable<string> words)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        Span<char> key = stackalloc char[MaxLength + 2];
        foreach (string word in words)
            for (int slot = 0; slot < Slots; slot++)
            {
                string k = new(Key(word, slot, key));
                counts[k] = counts.GetValueOrDefault(k) + 1;
            }
        return new WordFeatures([.. counts.Where(p => p.Value >= MinimumCount).Select(p => p.Key).Order(StringComparer.Ordinal)]);
    }

    /// <summary>Writes the <see cref="Slots"/> ids of <paramref name="word"/> into <paramref name="ids"/>.</summary>
    public void Encode(ReadOnlySpan<char> word, Span<int> ids)
    {
        Span<char> key = stackalloc char[MaxLength + 2];
        for (int slot = 0; slot < Slots; slot++)
            ids[slot] = _lookup.TryGetValue(Key(word, slot, key), out int id) ? id : slot;
    }

    /// <summary>Whether <paramref name="word"/> has its own word id (it was seen often enough in training).</summary>
    public bool IsKnown(ReadOnlySpan<char> word)
    {
        Span<char> key = stackalloc char[MaxLength + 2];
        return _lookup.ContainsKey(Key(word, 0, key));
    }

    /// <summary>"kind␟text" of <paramref name="word"/>'s slot <paramref name="slot"/>, in <paramref name="buffer"/>.</summary>
    private static ReadOnlySpan<char> Key(ReadOnlySpan<char> word, int slot, Span<char> buffer)
    {
        buffer[0] = Kinds[slot];
        buffer[1] = Separator;
        var text = buffer[2..];
        if (slot == 3) return buffer[..(2 + Shape(word, text))];
        var part = slot switch
        {
            1 => word[Math.Max(0, word.Length - 3)..],
            2 => word[Math.Max(0, word.Length - 2)..],
            _ => word,
        };
        part = part[..Math.Min(part.Length, MaxLength)];
        part.ToLowerInvariant(text);
        return buffer[..(2 + part.Length)];
    }

    /// <summary>Writes the shape of <paramref name="word"/> (at most <see cref="MaxLength"/> characters); returns its length.</summary>
    private static int Shape(ReadOnlySpan<char> word, Span<char> shape)
    {
        int n = 0;
        foreach (char c in word)
        {
            char s = char.IsUpper(c) ? 'X' : char.IsLetter(c) ? 'x' : char.IsDigit(c) ? 'd' : c == Separator ? ' ' : c;
            if (n > 0 && shape[n - 1] == s) continue;
            if (n == MaxLength) break;
            shape[n++] = s;
        }
        return n;
    }
}
