using System.Runtime.CompilerServices;

namespace Microsoft.ML.Lstm.Kernels.Simd;

/// <summary>A compile-time size (rows or vectors of a register tile) for JIT specialization.</summary>
internal interface IDim
{
    /// <summary>The size.</summary>
    static abstract int N { get; }
}

internal readonly struct D1 : IDim { public static int N => 1; }
internal readonly struct D2 : IDim { public static int N => 2; }
internal readonly struct D3 : IDim { public static int N => 3; }
internal readonly struct D4 : IDim { public static int N => 4; }

/// <summary>
/// One product term A·B of a register tile: A(r, p) at <c>A[r·Rs + p·Ps]</c>, B(p, j) at <c>B[p·Ldb + j]</c>,
/// p &lt; K. K = 0 means no term.
/// </summary>
internal readonly unsafe struct TileTerm(int k, float* a, nint rs, nint ps, float* b, nint ldb)
{
    public readonly int K = k;
    public readonly float* A = a;
    public readonly nint Rs = rs, Ps = ps;
    public readonly float* B = b;
    public readonly nint Ldb = ldb;
}

/// <summary>
/// The register-tiled micro-kernel: an R-row × V-vector block of C (R ≤ 4, V ≤ 4) kept in registers
/// while the k loop streams one broadcast of A per row and one row of the B panel.
/// </summary>
/// <remarks>
/// <para>Every element of C is computed by exactly one chain: it starts from the initial value (row r of
/// <c>init</c>, read at <c>init[r·ldi + j]</c>: C itself when accumulating, one bias row when ldi = 0, or 0
/// when <c>init</c> is null), then c ← fma(A[i,p], B[p,j], c) for p = 0 … K−1 of the first term, then the same
/// for the second term. The chain does not depend on the tile shape, on where the tile sits or on the vector
/// width, so any split of the rows (threads, tails) and every <see cref="ISimdOps{TV}"/> give bit-identical
/// results, and a two-term tile equals two one-term products that store and reload C in between.</para>
/// </remarks>
internal static unsafe class SimdTile<TV, TOps> where TV : unmanaged where TOps : ISimdOps<TV>
{
    /// <summary>Largest tile: rows and vectors.</summary>
    public const int MaxRows = 4, MaxVectors = 4;

    /// <summary>
    /// C[TR × TC·Count] = init + first.A·first.B + second.A·second.B, on the rows of A from <paramref name="row"/> on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TR, TC>(in TileTerm first, in TileTerm second, int row, float* init, nint ldi, float* c, nint ldc)
        where TR : IDim where TC : IDim
    {
        int w = TOps.Count;
        TV x00 = default, x01 = default, x02 = default, x03 = default;
        TV x10 = default, x11 = default, x12 = default, x13 = default;
        TV x20 = default, x21 = default, x22 = default, x23 = default;
        TV x30 = default, x31 = default, x32 = default, x33 = default;
        if (init != null)
        {
            float* i0 = init, i1 = init + ldi, i2 = init + 2 * ldi, i3 = init + 3 * ldi;
            x00 = TOps.Load(i0);
            if (TC.N > 1) x01 = TOps.Load(i0 + w);
            if (TC.N > 2) x02 = TOps.Load(i0 + 2 * w);
            if (TC.N > 3) x03 = TOps.Load(i0 + 3 * w);
            if (TR.N > 1)
            {
                x10 = TOps.Load(i1);
                if (TC.N > 1) x11 = TOps.Load(i1 + w);
                if (TC.N > 2) x12 = TOps.Load(i1 + 2 * w);
                if (TC.N > 3) x13 = TOps.Load(i1 + 3 * w);
            }
            if (TR.N > 2)
            {
                x20 = TOps.Load(i2);
                if (TC.N > 1) x21 = TOps.Load(i2 + w);
                if (TC.N > 2) x22 = TOps.Load(i2 + 2 * w);
                if (TC.N > 3) x23 = TOps.Load(i2 + 3 * w);
            }
            if (TR.N > 3)
            {
                x30 = TOps.Load(i3);
                if (TC.N > 1) x31 = TOps.Load(i3 + w);
                if (TC.N > 2) x32 = TOps.Load(i3 + 2 * w);
                if (TC.N > 3) x33 = TOps.Load(i3 + 3 * w);
            }
        }

        for (int term = 0; term < 2; term++)
        {
            ref readonly TileTerm t = ref term == 0 ? ref first : ref second;
            int kc = t.K;
            nint ps = t.Ps, ldb = t.Ldb;
            float* b = t.B, a0 = t.A + row * t.Rs, a1 = a0 + t.Rs, a2 = a0 + 2 * t.Rs, a3 = a0 + 3 * t.Rs;
            for (int p = 0; p < kc; p++)
            {
                TV b0 = TOps.Load(b), b1 = default, b2 = default, b3 = default;
                if (TC.N > 1) b1 = TOps.Load(b + w);
                if (TC.N > 2) b2 = TOps.Load(b + 2 * w);
                if (TC.N > 3) b3 = TOps.Load(b + 3 * w);
                b += ldb;

                TV s = TOps.Broadcast(a0);
                x00 = TOps.MultiplyAdd(s, b0, x00);
                if (TC.N > 1) x01 = TOps.MultiplyAdd(s, b1, x01);
                if (TC.N > 2) x02 = TOps.MultiplyAdd(s, b2, x02);
                if (TC.N > 3) x03 = TOps.MultiplyAdd(s, b3, x03);
                a0 += ps;
                if (TR.N > 1)
                {
                    s = TOps.Broadcast(a1);
                    x10 = TOps.MultiplyAdd(s, b0, x10);
                    if (TC.N > 1) x11 = TOps.MultiplyAdd(s, b1, x11);
                    if (TC.N > 2) x12 = TOps.MultiplyAdd(s, b2, x12);
                    if (TC.N > 3) x13 = TOps.MultiplyAdd(s, b3, x13);
                    a1 += ps;
                }
                if (TR.N > 2)
                {
                    s = TOps.Broadcast(a2);
                    x20 = TOps.MultiplyAdd(s, b0, x20);
                    if (TC.N > 1) x21 = TOps.MultiplyAdd(s, b1, x21);
                    if (TC.N > 2) x22 = TOps.MultiplyAdd(s, b2, x22);
                    if (TC.N > 3) x23 = TOps.MultiplyAdd(s, b3, x23);
                    a2 += ps;
                }
                if (TR.N > 3)
                {
                    s = TOps.Broadcast(a3);
                    x30 = TOps.MultiplyAdd(s, b0, x30);
                    if (TC.N > 1) x31 = TOps.MultiplyAdd(s, b1, x31);
                    if (TC.N > 2) x32 = TOps.MultiplyAdd(s, b2, x32);
                    if (TC.N > 3) x33 = TOps.MultiplyAdd(s, b3, x33);
                    a3 += ps;
                }
            }
        }

        float* c0 = c, c1 = c + ldc, c2 = c + 2 * ldc, c3 = c + 3 * ldc;
        TOps.Store(c0, x00);
        if (TC.N > 1) TOps.Store(c0 + w, x01);
        if (TC.N > 2) TOps.Store(c0 + 2 * w, x02);
        if (TC.N > 3) TOps.Store(c0 + 3 * w, x03);
        if (TR.N > 1)
        {
            TOps.Store(c1, x10);
            if (TC.N > 1) TOps.Store(c1 + w, x11);
            if (TC.N > 2) TOps.Store(c1 + 2 * w, x12);
            if (TC.N > 3) TOps.Store(c1 + 3 * w, x13);
        }
        if (TR.N > 2)
        {
            TOps.Store(c2, x20);
            if (TC.N > 1) TOps.Store(c2 + w, x21);
            if (TC.N > 2) TOps.Store(c2 + 2 * w, x22);
            if (TC.N > 3) TOps.Store(c2 + 3 * w, x23);
        }
        if (TR.N > 3)
        {
            TOps.Store(c3, x30);
            if (TC.N > 1) TOps.Store(c3 + w, x31);
            if (TC.N > 2) TOps.Store(c3 + 2 * w, x32);
            if (TC.N > 3) TOps.Store(c3 + 3 * w, x33);
        }
    }

    /// <summary>
    /// All rows [0, m) of one column panel of <typeparamref name="TC"/> vectors whose first
    /// <paramref name="width"/> columns are real (the rest of the last vector is padding in B and must
    /// not be written to C): 4-row tiles, then one shorter tile for the m mod 4 remaining rows. The initial
    /// value of row r is read at <c>init[r·ldi + j]</c> (see <see cref="Run{TR, TC}"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Panel<TC>(int m, in TileTerm first, in TileTerm second, float* init, nint ldi, float* c, nint ldc, int width)
        where TC : IDim
    {
        int i = 0;
        if (width == TC.N * TOps.Count)
        {
            for (; i + MaxRows <= m; i += MaxRows)
                Run<D4, TC>(first, second, i, Row(init, ldi, i), ldi, c + i * ldc, ldc);
            switch (m - i)
            {
                case 1: Run<D1, TC>(first, second, i, Row(init, ldi, i), ldi, c + i * ldc, ldc); break;
                case 2: Run<D2, TC>(first, second, i, Row(init, ldi, i), ldi, c + i * ldc, ldc); break;
                case 3: Run<D3, TC>(first, second, i, Row(init, ldi, i), ldi, c + i * ldc, ldc); break;
            }
            return;
        }

        // Ragged right edge: run the tile on a stack copy of C padded to whole vectors.
        int tw = TC.N * TOps.Count;
        float* tmp = stackalloc float[MaxRows * MaxVectors * 16];
        for (; i < m; i += MaxRows)
        {
            int rows = Math.Min(MaxRows, m - i);
            if (init != null)
                for (int r = 0; r < rows; r++)
                    new ReadOnlySpan<float>(init + (i + r) * ldi, width).CopyTo(new Span<float>(tmp + r * tw, width));
            float* ti = init != null ? tmp : null;
            switch (rows)
            {
                case 1: Run<D1, TC>(first, second, i, ti, tw, tmp, tw); break;
                case 2: Run<D2, TC>(first, second, i, ti, tw, tmp, tw); break;
                case 3: Run<D3, TC>(first, second, i, ti, tw, tmp, tw); break;
                default: Run<D4, TC>(first, second, i, ti, tw, tmp, tw); break;
            }
            for (int r = 0; r < rows; r++)
                new ReadOnlySpan<float>(tmp + r * tw, width).CopyTo(new Span<float>(c + (i + r) * ldc, width));
        }
    }

    /// <summary>Dispatches <see cref="Panel{TC}"/> on the panel's vector count (1..<see cref="MaxVectors"/>).</summary>
    public static void Panel(int vectors, int m, in TileTerm first,
        in TileTerm second, float* init, nint ldi, float* c, nint ldc, int width)
    {
        switch (vectors)
        {
            case 1: Panel<D1>(m, first, second, init, ldi, c, ldc, width); break;
            case 2: Panel<D2>(m, first, second, init, ldi, c, ldc, width); break;
            case 3: Panel<D3>(m, first, second, init, ldi, c, ldc, width); break;
            default: Panel<D4>(m, first, second, init, ldi, c, ldc, width); break;
        }
    }

    private static float* Row(float* init, nint ldi, int row) => init == null ? null : init + row * ldi;
}
