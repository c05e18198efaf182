namespace Microsoft.ML.Lstm;

/// <summary>
/// How well a sequence-to-sequence model (CTC) reads its inputs (<c>mlContext.MulticlassClassification.EvaluateSequences</c>):
/// error rates by edit distance (insertions, deletions and substitutions over the reference length) and exact matches.
/// </summary>
/// <param name="CharacterErrorRate">Σ edit distances between predicted and reference label sequences / Σ reference
/// lengths: the character error rate when each label is a character.</param>
/// <param name="WordErrorRate">The same over words, when the labels' key values are text: each sequence's values joined and
/// split at white space; null when the labels have no text key values.</param>
/// <param name="SequenceAccuracy">Share of rows whose predicted sequence equals the reference.</param>
/// <param name="NumberOfSequences">Rows evaluated.</param>
/// <param name="NumberOfLabels">Reference labels in all.</param>
public sealed record LstmSequenceMetrics(double CharacterErrorRate, double? WordErrorRate, double SequenceAccuracy,
    long NumberOfSequences, long NumberOfLabels);
