using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// Token embedding lookup [V × E], forward (gather) and backward (scatter-add) side by side. A step holds K ids
/// (<see cref="SequenceBatch{T}.Features"/> of a token batch); its input row is their K embedding rows side by side.
/// </summary>
internal static class Embedding
{
    /// <summary>
    /// x[t·B + b] = table[tokens[(t·B + b)·K + k]] for k = 0 … K − 1, side by side, on valid steps; 0 on padded ones.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> table, SequenceBatch<T> batch, int size, T[] x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int B = batch.BatchSize, K = batch.Features;
        for (int t = 0; t < batch.Steps; t++)
            for (int b = 0; b < B; b++)
            {
                int r = t * B + b;
                var row = x.AsSpan(r * K * size, K * size);
                if (t >= batch.Lengths[b]) { row.Clear(); continue; }
                for (int k = 0; k < K; k++) table.Slice(batch.Tokens![r * K + k] * size, size).CopyTo(row.Slice(k * size, size));
            }
    }

    /// <summary>dTable[token] += its part of the dx row, over valid steps in (t, b, k) order (deterministic).</summary>
    public static void Backward<T>(T[] dx, SequenceBatch<T> batch, int size, Span<T> dTable) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int B = batch.BatchSize, K = batch.Features;
        for (int t = 0; t < batch.Steps; t++)
            for (int b = 0; b < B; b++)
            {
                if (t >= batch.Lengths[b]) continue;
                int r = t * B + b;
                for (int k = 0; k < K; k++)
                {
                    var src = dx.AsSpan((r * K + k) * size, size);
                    var dst = dTable.Slice(batch.Tokens![r * K + k] * size, size);
                    for (int j = 0; j < size; j++) dst[j] += src[j];
                }
            }
    }
}
