using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// Inverted dropout masks: kept elements are scaled by 1/(1−p), dropped ones are 0. A mask is a pure
/// function of (seed, stream, element index), so it does not depend on threads or call order.
/// </summary>
internal static class Dropout
{
    /// <summary>Fills <paramref name="mask"/> with 0 or 1/(1−p).</summary>
    public static void FillMask<T>(Span<T> mask, double p, ulong seed, ulong stream) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T keep = T.CreateChecked(1.0 / (1.0 - p));
        for (int i = 0; i < mask.Length; i++)
            mask[i] = Rng.Hash01(seed, stream, (ulong)i) < p ? T.Zero : keep;
    }

    /// <summary>y = x ⊙ mask.</summary>
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> mask, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < y.Length; i++) y[i] = x[i] * mask[i];
    }

    /// <summary>Words of a keep-bit mask over <paramref name="count"/> elements.</summary>
    internal static long KeepBitWords(long count) => (count + 63) / 64;

    /// <summary>
    /// The mask of <see cref="FillMask{T}"/> over <paramref name="count"/> elements in one bit per element
    /// (bit i set: element i kept), 32× smaller than a float mask.
    /// </summary>
    internal static void FillKeepBits(Span<ulong> bits, int count, double p, ulong seed, ulong stream)
    {
        bits[..(int)KeepBitWords(count)].Clear();
        for (int i = 0; i < count; i++)
            if (!(Rng.Hash01(seed, stream, (ulong)i) < p)) bits[i >> 6] |= 1UL << (i & 63);
    }

    /// <summary>y = x ⊙ mask with the mask given by <see cref="FillKeepBits"/>: the same values as <see cref="Apply{T}"/>.</summary>
    internal static void ApplyKeepBits<T>(ReadOnlySpan<T> x, ReadOnlySpan<ulong> bits, double p, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T keep = T.CreateChecked(1.0 / (1.0 - p));
        for (int i = 0; i < y.Length; i++)
            y[i] = x[i] * ((bits[i >> 6] >> (i & 63) & 1) != 0 ? keep : T.Zero);
    }

    /// <summary>Stream id of the dropout mask on the input of layer <paramref name="layer"/>.</summary>
    public static ulong LayerStream(int layer) => 0x1000UL + (ulong)layer;

    /// <summary>Stream id of the recurrent mask of layer l, direction d.</summary>
    public static ulong RecurrentStream(int layer, int direction) => 0x2000UL + (ulong)(2 * layer + direction);
}
