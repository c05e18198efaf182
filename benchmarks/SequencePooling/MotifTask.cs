namespace Microsoft.ML.Lstm.Benchmarks.Pooling;

/// <summary>One string and whether the motif was planted in it.</summary>
public sealed class TextRow
{
    /// <summary>The characters.</summary>
    public string Text { get; set; } = "";

    /// <summary>The class.</summary>
    public bool Label { get; set; }
}

/// <summary>
/// The synthetic motif task: random strings of <see cref="Length"/> letters from a four-letter alphabet; every string
/// gets a decoy (the motif <see cref="Motif"/> with one letter changed) at a random position, and the positive half also
/// the motif itself at another random position, never overlapping. A background or decoy that spells the motif by
/// chance is drawn again. Letter counts hardly differ between the classes: a model must find the exact five letters
/// wherever they are — for a last-state head, up to 60 steps before the end it reads.
/// </summary>
internal static class MotifTask
{
    public const int Length = 60;
    public const string Alphabet = "abcd", Motif = "cadbb";

    /// <summary><paramref name="count"/> rows, half positive, from <paramref name="seed"/>.</summary>
    public static List<TextRow> Rows(int count, int seed)
    {
        var rng = new Random(seed);
        var rows = new List<TextRow>(count);
        var chars = new char[Length];
        int m = Motif.Length;
        for (int n = 0; n < count; n++)
        {
            bool positive = n % 2 == 0;
            string text;
            do
            {
                for (int i = 0; i < Length; i++) chars[i] = Alphabet[rng.Next(Alphabet.Length)];
                int decoyAt = rng.Next(Length - m + 1), motifAt;
                do motifAt = rng.Next(Length - m + 1); while (Math.Abs(motifAt - decoyAt) < m);
                var decoy = Motif.ToCharArray();
                int changed = rng.Next(m);
                decoy[changed] = Alphabet[(Alphabet.IndexOf(decoy[changed]) + 1 + rng.Next(Alphabet.Length - 1)) % Alphabet.Length];
                decoy.CopyTo(chars, decoyAt);
                text = new string(chars);
                if (text.Contains(Motif, StringComparison.Ordinal)) continue;
                if (positive) Motif.CopyTo(0, chars, motifAt, m);
                text = new string(chars);
                break;
            } while (true);
            // Planting can complete the motif across its edge with background letters: keep only what the label says.
            bool once = text.IndexOf(Motif, StringComparison.Ordinal) == text.LastIndexOf(Motif, StringComparison.Ordinal);
            if (positive && !once) { n--; continue; }
            rows.Add(new TextRow { Text = text, Label = positive });
        }
        return rows;
    }
}
