using System.Runtime.CompilerServices;

namespace Microsoft.ML.Lstm.Kernels.Simd;

/// <summary>
/// Copies a block of the right operand B into the panel layout the micro-kernel streams: rows p of the
/// block, each holding the panel's columns contiguously, padded with zeros to whole vectors
/// (dst[p·wp + j] = B(p0 + p, j0 + j), wp = padded width).
/// </summary>
internal static unsafe class SimdPacking<TV, TOps> where TV : unmanaged where TOps : ISimdOps<TV>
{
    /// <summary>From B stored as [n × k] row-major (B(p, j) = b[j·ldb + p], the NT case): a transpose.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FromTransposed(float* b, nint ldb, int j0, int width, int p0, int kc, float* dst, int wp)
    {
        int v = TOps.Count;
        int p = 0;
        for (; p + v <= kc; p += v)
        {
            int j = 0;
            for (; j + v <= width; j += v)
                TOps.TransposeBlock(b + (j0 + j) * ldb + p0 + p, ldb, dst + p * wp + j, wp);
            for (int q = p; q < p + v; q++)
                CopyStrided(b + (j0 + j) * ldb + p0 + q, ldb, dst + q * wp + j, width - j, wp - width);
        }
        for (; p < kc; p++)
            CopyStrided(b + j0 * ldb + p0 + p, ldb, dst + p * wp, width, wp - width);
    }

    /// <summary>From B stored as [k × n] row-major (B(p, j) = b[p·ldb + j], the NN/TN case): a copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FromRowMajor(float* b, nint ldb, int j0, int width, int p0, int kc, float* dst, int wp)
    {
        int v = TOps.Count, full = width / v * v;
        float* src = b + p0 * ldb + j0;
        for (int p = 0; p < kc; p++, src += ldb, dst += wp)
        {
            int j = 0;
            for (; j < full; j += v) TOps.Store(dst + j, TOps.Load(src + j));
            if (j < wp) CopyStrided(src + j, 1, dst + j, width - j, wp - width);
        }
    }

    /// <summary>Packs columns [j0, j0 + width) of the k rows [p0, p0 + kc) of B, stored as <paramref name="layout"/>.</summary>
    public static void Panel(BLayout layout, float* b, nint ldb, int j0, int width, int p0, int kc, float* dst, int wp)
    {
        if (layout == BLayout.Transposed) FromTransposed(b, ldb, j0, width, p0, kc, dst, wp);
        else FromRowMajor(b, ldb, j0, width, p0, kc, dst, wp);
    }

    /// <summary>dst[0..count) = src[0], src[stride], …; then <paramref name="pad"/> zeros.</summary>
    private static void CopyStrided(float* src, nint stride, float* dst, int count, int pad)
    {
        for (int j = 0; j < count; j++) dst[j] = src[j * stride];
        for (int j = 0; j < pad; j++) dst[count + j] = 0f;
    }
}
