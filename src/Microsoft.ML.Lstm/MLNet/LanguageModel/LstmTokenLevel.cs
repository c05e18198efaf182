namespace Microsoft.ML.Lstm;

/// <summary>What one step of an LSTM language model reads and predicts (<see cref="LstmLanguageModelOptions.Level"/>).</summary>
public enum LstmTokenLevel
{
    /// <summary>One character (UTF-16 code unit) per step, case and white space kept: the text is modelled exactly.</summary>
    Character,

    /// <summary>
    /// One word per step: the text is lower-cased (invariant culture) and split into words (runs of letters and digits,
    /// with apostrophes inside a word kept, as in <c>don't</c>) and single punctuation characters; white space is dropped.
    /// Generated words are joined with single spaces.
    /// </summary>
    Word,
}
