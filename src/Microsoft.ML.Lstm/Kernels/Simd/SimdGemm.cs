using System.Runtime.CompilerServices;

namespace Microsoft.ML.Lstm.Kernels.Simd;

/// <summary>How the right operand B(p, j), p &lt; k, j &lt; n, is stored.</summary>
internal enum BLayout
{
    /// <summary>[n × k] row-major: B(p, j) = b[j·ld + p] (MatMulNT). Packed (transposed) before use.</summary>
    Transposed,

    /// <summary>[k × n] row-major: B(p, j) = b[p·ld + j] (MatMulNN, MatMulTN). Read in place or copied.</summary>
    RowMajor,

    /// <summary>Already in panel layout (<see cref="SimdGemm{TV, TOps}.Pack"/>); <c>ld</c> unused.</summary>
    Packed,
}

/// <summary>
/// The blocked GEMM driver shared by the three products: C[m×n] (+)= A·B with A(r, p) at a[r·rs + p·ps].
/// </summary>
/// <remarks>
/// <para>Loops: k blocks of <see cref="KBlock"/> (C carries the running sum from one block to the next,
/// which is exactly the unblocked chain) → row blocks → column panels of
/// <see cref="SimdTile{TV, TOps}.MaxVectors"/> vectors → 4-row register tiles.</para>
/// <para>Small m (up to <see cref="LargeM"/>: one step of the recurrence): one row block; each B panel is
/// transposed (NT) right before its tiles use it, so it is still in L1. Large m (projections, weight
/// gradients): row blocks of <see cref="RowBlock"/> rows sweep all panels; for NT the whole k block of B is
/// transposed once and shared by all row blocks. NN/TN read full panels of B in place (copying them measured
/// slower) and copy only a ragged last panel. None of this changes any result: each element is still its
/// single fma chain.</para>
/// <para>Packed layout of a k×n operand: panels of <see cref="PanelWidth"/> columns (the last one padded
/// with zeros to whole vectors, width wp); panel j0 starts at <c>j0·k</c> and holds B(p, j0 + j) at
/// <c>p·wp + j</c>. A k block [p0, p0 + kc) packed on its own uses the same layout with k = kc.</para>
/// </remarks>
internal static unsafe class SimdGemm<TV, TOps> where TV : unmanaged where TOps : ISimdOps<TV>
{
    /// <summary>Depth of one k block: a 256 × 64 float panel is 64 KiB.</summary>
    public const int KBlock = 256;

    /// <summary>
    /// Rows per row block when m is large. Small blocks keep C's rows streaming panel after panel (the
    /// prefetchers follow them) while the k block of B stays in L2; 16 measured best among 4–64.
    /// </summary>
    public const int RowBlock = 16;

    /// <summary>m above which the large-m strategy (row blocks, NT k block transposed once) is used.</summary>
    public const int LargeM = 64;

    [ThreadStatic] private static AlignedBuffer? t_panel;
    [ThreadStatic] private static AlignedBuffer? t_bBlock;

    /// <summary>Columns per full panel.</summary>
    public static int PanelWidth => SimdTile<TV, TOps>.MaxVectors * TOps.Count;

    /// <summary>Panels of a packed operand with n columns.</summary>
    public static int PanelCount(int n) => (n + PanelWidth - 1) / PanelWidth;

    /// <summary>Floats of the packed form of a k × n operand.</summary>
    public static long PackedLength(int n, int k) => (long)k * PaddedWidth(n);

    /// <summary>
    /// Packs rows [p0, p0 + kc) of B (k × n, stored as <paramref name="layout"/>) into <paramref name="dst"/>:
    /// all panels, or panels [<paramref name="panel0"/>, <paramref name="panel1"/>) (each panel is independent).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(int n, int p0, int kc, float* b, nint ldb,
        BLayout layout, float* dst, int panel0 = 0, int panel1 = int.MaxValue)
    {
        int end = (int)Math.Min(n, (long)panel1 * PanelWidth);
        for (int j0 = panel0 * PanelWidth; j0 < end; j0 += PanelWidth)
        {
            int width = Math.Min(PanelWidth, n - j0);
            SimdPacking<TV, TOps>.Panel(layout, b, ldb, j0, width, p0, kc, dst + (long)j0 * kc, RoundUp(width));
        }
    }

    /// <summary>C[m×n] (+)= A[m×k]·B[k×n]; see the remarks for the operand layouts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int m, int n, int k, float* a, nint rs, nint ps,
        float* b, nint ldb, BLayout layout, float* c, nint ldc, bool accumulate)
    {
        if (m <= 0 || n <= 0) return;
        if (k <= 0)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++) new Span<float>(c + i * ldc, n).Clear();
            return;
        }

        bool large = m > LargeM;
        bool packB = large && layout == BLayout.Transposed;
        int rowBlock = large ? RowBlock : m;
        float* bBlock = packB ? Scratch(ref t_bBlock, (long)Math.Min(k, KBlock) * PaddedWidth(n)) : null;
        float* panel = layout != BLayout.Packed && !packB ? Scratch(ref t_panel, (long)KBlock * PanelWidth) : null;

        for (int p0 = 0; p0 < k; p0 += KBlock)
        {
            int kc = Math.Min(KBlock, k - p0);
            bool load = accumulate || p0 > 0;
            if (packB) Pack(n, p0, kc, b, ldb, layout, bBlock);
            for (int i0 = 0; i0 < m; i0 += rowBlock)
            {
                int mb = Math.Min(rowBlock, m - i0);
                float* ab = a + i0 * rs + p0 * ps;
                for (int j0 = 0; j0 < n; j0 += PanelWidth)
                {
                    int width = Math.Min(PanelWidth, n - j0), wp = RoundUp(width);
                    float* bp;
                    nint ldbp = wp;
                    if (packB) bp = bBlock + (long)j0 * kc;
                    else if (layout == BLayout.Packed) bp = b + (long)j0 * k + (long)p0 * wp;
                    else if (layout == BLayout.RowMajor && width == wp) { bp = b + p0 * ldb + j0; ldbp = ldb; }
                    else { SimdPacking<TV, TOps>.Panel(layout, b, ldb, j0, width, p0, kc, panel, wp); bp = panel; }
                    float* cb = c + i0 * ldc + j0;
                    SimdTile<TV, TOps>.Panel(wp / TOps.Count, mb, new TileTerm(kc, ab, rs, ps, bp, ldbp),
                        default, load ? cb : null, ldc, cb, ldc, width);
                }
            }
        }
    }

    /// <summary>
    /// C[m×n] = bias + A1[m×k1]·B1 + A2[m×k2]·B2 with B1, B2 packed (<see cref="Pack"/>, same n) and the
    /// bias row [n] added to every row: one register tile runs both products, so C is written once. Each
    /// element's chain starts from the bias, then runs over B1's k1 terms and B2's k2 terms (no k blocks:
    /// the two panels of a tile stay in L2 for the few rows of one recurrent step).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunPair(int m, int n, int k1, float* a1, nint lda1, float* b1,
        int k2, float* a2, nint lda2, float* b2, float* bias, float* c, nint ldc)
    {
        for (int j0 = 0; j0 < n; j0 += PanelWidth)
        {
            int width = Math.Min(PanelWidth, n - j0), wp = RoundUp(width);
            var first = new TileTerm(k1, a1, lda1, 1, b1 + (long)j0 * k1, wp);
            var second = new TileTerm(k2, a2, lda2, 1, b2 + (long)j0 * k2, wp);
            SimdTile<TV, TOps>.Panel(wp / TOps.Count, m, first, second, bias + j0, 0, c + j0, ldc, width);
        }
    }

    private static int RoundUp(int width) => (width + TOps.Count - 1) / TOps.Count * TOps.Count;

    /// <summary>n rounded up so that every panel is whole vectors.</summary>
    private static int PaddedWidth(int n)
    {
        int full = n / PanelWidth * PanelWidth;
        return full + RoundUp(n - full);
    }

    /// <summary>This thread's buffer of at least <paramref name="length"/> floats, grown on demand.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float* Scratch(ref AlignedBuffer? buffer, long length)
    {
        if (buffer is null || buffer.Length < length) buffer = new AlignedBuffer(length);
        return buffer.Pointer;
    }
}
