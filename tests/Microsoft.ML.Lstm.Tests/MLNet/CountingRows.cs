using System.Collections;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// Rows for <c>mlContext.Data.LoadFromEnumerable</c> that count how many have been handed out over all passes; optionally
/// every pass after the first hands out <c>laterPassRows</c> rows instead of all (a data view that does not repeat itself).
/// </summary>
internal sealed class CountingRows(IReadOnlyList<SeqRow> rows, int? laterPassRows = null) : IEnumerable<SeqRow>
{
    private int _passes;

    /// <summary>Rows handed out so far.</summary>
    public long Produced { get; private set; }

    public IEnumerator<SeqRow> GetEnumerator()
    {
        int count = _passes++ == 0 ? rows.Count : laterPassRows ?? rows.Count;
        for (int i = 0; i < count; i++)
        {
            Produced++;
            yield return rows[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
