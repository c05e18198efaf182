namespace Microsoft.ML.Lstm;

/// <summary>
/// How well a language model predicts some texts (<see cref="LstmLanguageModelTransformer.Evaluate(IDataView)"/>): every
/// token of every text is predicted from the tokens before it in the same text (the first from the text boundary alone),
/// the state carried through the whole text.
/// </summary>
public sealed class LstmLanguageModelMetrics
{
    internal LstmLanguageModelMetrics(double bits, long tokens, long characters)
    {
        TotalBits = bits;
        TokenCount = tokens;
        CharacterCount = characters;
    }

    /// <summary>The sum of −log₂ p(token | the tokens before it) over every token.</summary>
    public double TotalBits { get; }

    /// <summary>Tokens predicted (characters, or words and punctuation marks).</summary>
    public long TokenCount { get; }

    /// <summary>Characters of the texts (UTF-16 code units, white space included).</summary>
    public long CharacterCount { get; }

    /// <summary>Mean bits per token: <see cref="TotalBits"/> / <see cref="TokenCount"/>.</summary>
    public double BitsPerToken => TotalBits / TokenCount;

    /// <summary>
    /// <see cref="TotalBits"/> / <see cref="CharacterCount"/>: for a character model the same as bits per token; for a
    /// word model the white space it does not predict costs nothing and an unknown word costs only the probability of the
    /// unknown token, so compare word and character models on it with care.
    /// </summary>
    public double BitsPerCharacter => TotalBits / CharacterCount;

    /// <summary>Perplexity per token, 2^<see cref="BitsPerToken"/>.</summary>
    public double Perplexity => Math.Pow(2, BitsPerToken);

    /// <summary>The figures in one line.</summary>
    public override string ToString() =>
        $"{BitsPerToken:F4} bits per token, {BitsPerCharacter:F4} bits per character, perplexity {Perplexity:F2} " +
        $"({TokenCount:N0} tokens, {CharacterCount:N0} characters)";
}
