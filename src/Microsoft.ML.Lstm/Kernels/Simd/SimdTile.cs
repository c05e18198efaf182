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
/// The register-tiled micro-kernel: an R-row × V-vector block of C (R ≤ 4, V ≤ 4) kept in registers
/// while the k loop streams one broadcast of A per row and one row of the B panel.
/// </summary>
/// <remarks>
/// <para>Every element of C is updated by exactly one chain c ← fma(A[i,p], B[p,j], c) for p = 0, 1, …, kc−1,
/// started from C (when <c>load</c>) or from 0. The chain does not depend on the tile shape, on where the
/// tile sits or on the vector width, so any split of the rows (threads, tails) and every
/// <see cref="ISimdOps{TV}"/> give bit-identical results; the drivers may choose tile shapes freely.</para>
/// <para>A(r, p) is read at <c>a[r·rs + p·ps]</c> (row-major A: rs = lda, ps = 1; transposed A: rs = 1,
/// ps = lda). B(p, j) is read at <c>b[p·ldb + j]</c>, j in [0, TC·Count).</para>
/// </remarks>
internal static unsafe class SimdTile<TV, TOps> where TV : unmanaged where TOps : ISimdOps<TV>
{
    /// <summary>Largest tile: rows and vectors.</summary>
    public const int MaxRows = 4, MaxVectors = 4;

    /// <summary>C[TR × TC·Count] (+)= A[TR × kc]·B[kc × TC·Count].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TR, TC>(int kc, float* a, nint rs, nint ps, float* b, nint ldb, float* c, nint ldc, bool load)
        where TR : IDim where TC : IDim
    {
        int w = TOps.Count;
        float* c0 = c, c1 = c + ldc, c2 = c + 2 * ldc, c3 = c + 3 * ldc;
        TV x00 = default, x01 = default, x02 = default, x03 = default;
        TV x10 = default, x11 = default, x12 = default, x13 = default;
        TV x20 = default, x21 = default, x22 = default, x23 = default;
        TV x30 = default, x31 = default, x32 = default, x33 = default;
        if (load)
        {
            x00 = TOps.Load(c0);
            if (TC.N > 1) x01 = TOps.Load(c0 + w);
            if (TC.N > 2) x02 = TOps.Load(c0 + 2 * w);
            if (TC.N > 3) x03 = TOps.Load(c0 + 3 * w);
            if (TR.N > 1)
            {
                x10 = TOps.Load(c1);
                if (TC.N > 1) x11 = TOps.Load(c1 + w);
                if (TC.N > 2) x12 = TOps.Load(c1 + 2 * w);
                if (TC.N > 3) x13 = TOps.Load(c1 + 3 * w);
            }
            if (TR.N > 2)
            {
                x20 = TOps.Load(c2);
                if (TC.N > 1) x21 = TOps.Load(c2 + w);
                if (TC.N > 2) x22 = TOps.Load(c2 + 2 * w);
                if (TC.N > 3) x23 = TOps.Load(c2 + 3 * w);
            }
            if (TR.N > 3)
            {
                x30 = TOps.Load(c3);
                if (TC.N > 1) x31 = TOps.Load(c3 + w);
                if (TC.N > 2) x32 = TOps.Load(c3 + 2 * w);
                if (TC.N > 3) x33 = TOps.Load(c3 + 3 * w);
            }
        }

        float* a0 = a, a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs;
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
    /// not be written to C): 4-row tiles, then one shorter tile for the m mod 4 remaining rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Panel<TC>(int m, int kc, float* a, nint rs, nint ps, float* b, nint ldb, float* c, nint ldc, int width, bool load)
        where TC : IDim
    {
        int i = 0;
        if (width == TC.N * TOps.Count)
        {
            for (; i + MaxRows <= m; i += MaxRows) Run<D4, TC>(kc, a + i * rs, rs, ps, b, ldb, c + i * ldc, ldc, load);
            switch (m - i)
            {
                case 1: Run<D1, TC>(kc, a + i * rs, rs, ps, b, ldb, c + i * ldc, ldc, load); break;
                case 2: Run<D2, TC>(kc, a + i * rs, rs, ps, b, ldb, c + i * ldc, ldc, load); break;
                case 3: Run<D3, TC>(kc, a + i * rs, rs, ps, b, ldb, c + i * ldc, ldc, load); break;
            }
            return;
        }

        // Ragged right edge: run the tile on a stack copy of C padded to whole vectors.
        int tw = TC.N * TOps.Count;
        float* tmp = stackalloc float[MaxRows * MaxVectors * 16];
        for (; i < m; i += MaxRows)
        {
            int rows = Math.Min(MaxRows, m - i);
            if (load)
                for (int r = 0; r < rows; r++)
                    new ReadOnlySpan<float>(c + (i + r) * ldc, width).CopyTo(new Span<float>(tmp + r * tw, width));
            switch (rows)
            {
                case 1: Run<D1, TC>(kc, a + i * rs, rs, ps, b, ldb, tmp, tw, load); break;
                case 2: Run<D2, TC>(kc, a + i * rs, rs, ps, b, ldb, tmp, tw, load); break;
                case 3: Run<D3, TC>(kc, a + i * rs, rs, ps, b, ldb, tmp, tw, load); break;
                default: Run<D4, TC>(kc, a + i * rs, rs, ps, b, ldb, tmp, tw, load); break;
            }
            for (int r = 0; r < rows; r++)
                new ReadOnlySpan<float>(tmp + r * tw, width).CopyTo(new Span<float>(c + (i + r) * ldc, width));
        }
    }

    /// <summary>Dispatches <see cref="Panel{TC}"/> on the panel's vector count (1..<see cref="MaxVectors"/>).</summary>
    public static void Panel(int vectors, int m, int kc, float* a, nint rs, nint ps, float* b, nint ldb, float* c, nint ldc, int width, bool load)
    {
        switch (vectors)
        {
            case 1: Panel<D1>(m, kc, a, rs, ps, b, ldb, c, ldc, width, load); break;
            case 2: Panel<D2>(m, kc, a, rs, ps, b, ldb, c, ldc, width, load); break;
            case 3: Panel<D3>(m, kc, a, rs, ps, b, ldb, c, ldc, width, load); break;
            default: Panel<D4>(m, kc, a, rs, ps, b, ldb, c, ldc, width, load); break;
        }
    }
}
