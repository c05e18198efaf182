using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>Token embedding lookup [V × E], forward (gather) and backward (scatter-add) side by side.</summary>
internal static class Embedding
{
    /// <summary>x[t·B + b] = table[tokens[t·B + b]] on valid steps, 0 on padded ones.</summary>
    public static void Forward<T>(ReadOnlySpan<T> table, SequenceBatch<T> batch, int size, T[] x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int B = batch.BatchSize;
        for (int t = 0; t < batch.Steps; t++)
            for (int b = 0; b < B; b++)
            {
                var row = x.AsSpan((t * B + b) * size, size);
                if (t >= batch.Lengths[b]) row.Clear();
                else table.Slice(batch.Tokens![t * B + b] * size, size).CopyTo(row);
            }
    }

    /// <summary>dTable[token] += dx row, over valid steps in (t, b) order (deterministic).</summary>
    public static void Backward<T>(T[] dx, SequenceBatch<T> batch, int size, Span<T> dTable) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int B = batch.BatchSize;
        for (int t = 0; t < batch.Steps; t++)
            for (int b = 0; b < B; b++)
            {
                if (t >= batch.Lengths[b]) continue;
                var src = dx.AsSpan((t * B + b) * size, size);
                var dst = dTable.Slice(batch.Tokens![t * B + b] * size, size);
                for (int j = 0; j < size; j++) dst[j] += src[j];
            }
    }
}
