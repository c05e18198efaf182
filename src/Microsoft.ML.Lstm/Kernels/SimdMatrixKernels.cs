using Microsoft.ML.Lstm.Kernels.Simd;

namespace Microsoft.ML.Lstm.Kernels;

/// <summary>
/// Register-tiled float kernels. Each product is blocked into k blocks, column panels and 4-row register
/// tiles (see <c>Simd/SimdGemm.cs</c>); the right operand of <see cref="MatMulNT"/> is transposed panel by
/// panel into a per-thread buffer, or once for many products through <see cref="IPackedMatMul{T}"/>.
/// </summary>
/// <remarks>
/// <para><b>Determinism.</b> Every element C[i, j] is computed by the single chain
/// c ← fma(A[i, p], B[p, j], c), p = 0 … k−1, started from C[i, j] when accumulating and from 0 otherwise.
/// The chain does not depend on m, on which tile or call a row falls in, or on the path, so results are
/// bit-identical for any thread count and identical across <see cref="KernelPath"/> values and between
/// packed and plain products.</para>
/// <para><b>Accuracy.</b> The chain is a recursive sum with one rounding per term (error ≤ k·u·Σ|a·b|,
/// typically ~√k·u); products over k = T·B in the weight gradients are the longest.</para>
/// <para><b>Cost of the plain NT product.</b> Transposing B costs roughly as much as multiplying ~8 rows
/// by it, so for a few rows (one recurrent step of a small batch, m = 1 for a single sequence) the plain
/// <see cref="MatMulNT"/> is dominated by the transpose; multiply the same B many times through
/// <see cref="PackNT"/> + <see cref="MatMulPacked"/> instead.</para>
/// <para><b>Threads.</b> Instances hold no mutable state (scratch buffers are per thread) and may be used
/// concurrently.</para>
/// </remarks>
internal sealed unsafe class SimdMatrixKernels : IPackedMatMul<float>
{
    private static SimdMatrixKernels? s_shared;
    private readonly IWidthKernels _width;

    /// <summary>Creates kernels for <paramref name="path"/>; null picks <see cref="KernelPaths.Default"/>.</summary>
    /// <exception cref="NotSupportedException">The path is not hardware-accelerated on this machine.</exception>
    public SimdMatrixKernels(KernelPath? path = null)
    {
        Path = path ?? KernelPaths.Default;
        _width = KernelPaths.For(Path);
    }

    /// <summary>A shared instance on <see cref="KernelPaths.Default"/>.</summary>
    public static SimdMatrixKernels Shared => s_shared ??= new SimdMatrixKernels();

    /// <summary>The path these kernels run on.</summary>
    public KernelPath Path { get; }

    /// <inheritdoc/>
    public void MatMulNT(int m, int n, int k, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        Check(m, n, k, a, RowsSpan(m, k, lda), b, RowsSpan(n, k, ldb), c, ldc);
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
            _width.Gemm(m, n, k, pa, lda, 1, pb, ldb, BLayout.Transposed, pc, ldc, accumulate);
    }

    /// <inheritdoc/>
    public void MatMulNN(int m, int n, int k, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        Check(m, n, k, a, RowsSpan(m, k, lda), b, RowsSpan(k, n, ldb), c, ldc);
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
            _width.Gemm(m, n, k, pa, lda, 1, pb, ldb, BLayout.RowMajor, pc, ldc, accumulate);
    }

    /// <inheritdoc/>
    public void MatMulTN(int m, int n, int k, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        Check(m, n, k, a, RowsSpan(k, m, lda), b, RowsSpan(k, n, ldb), c, ldc);
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
            _width.Gemm(m, n, k, pa, 1, lda, pb, ldb, BLayout.RowMajor, pc, ldc, accumulate);
    }

    /// <inheritdoc/>
    public PackedMatrix<float> PackNT(int n, int k, ReadOnlySpan<float> b, int ldb, PackedMatrix<float>? reuse = null) =>
        Pack(n, k, b, RowsSpan(n, k, ldb), ldb, BLayout.Transposed, reuse);

    /// <inheritdoc/>
    public PackedMatrix<float> PackNN(int n, int k, ReadOnlySpan<float> b, int ldb, PackedMatrix<float>? reuse = null) =>
        Pack(n, k, b, RowsSpan(k, n, ldb), ldb, BLayout.RowMajor, reuse);

    /// <inheritdoc/>
    public void MatMulPacked(int m, ReadOnlySpan<float> a, int lda, PackedMatrix<float> b, Span<float> c, int ldc, bool accumulate)
    {
        var packed = Own(b, nameof(b));
        int n = packed.N, k = packed.K;
        Check(m, n, k, a, RowsSpan(m, k, lda), ReadOnlySpan<float>.Empty, 0, c, ldc);
        fixed (float* pa = a) fixed (float* pc = c)
            _width.Gemm(m, n, k, pa, lda, 1, packed.Pointer, 0, BLayout.Packed, pc, ldc, accumulate);
    }

    /// <inheritdoc/>
    public void MatMulPackedPair(int m, ReadOnlySpan<float> a1, int lda1, PackedMatrix<float> b1, ReadOnlySpan<float> a2, int lda2,
        PackedMatrix<float>? b2, ReadOnlySpan<float> bias, Span<float> c, int ldc)
    {
        var p1 = Own(b1, nameof(b1));
        var p2 = b2 is null ? null : Own(b2, nameof(b2));
        int n = p1.N, k2 = p2?.K ?? 0;
        if (p2 is not null && p2.N != n) throw new ArgumentException($"B2 has {p2.N} columns; B1 has {n}.", nameof(b2));
        if (bias.Length < n) throw new ArgumentException($"The bias holds {bias.Length} values; {n} needed.", nameof(bias));
        Check(m, n, p1.K, a1, RowsSpan(m, p1.K, lda1), ReadOnlySpan<float>.Empty, 0, c, ldc);
        Check(m, n, k2, a2, RowsSpan(m, k2, lda2), ReadOnlySpan<float>.Empty, 0, c, ldc);
        if (m == 0 || n == 0) return;
        float* pb2 = p2 is null ? null : p2.Pointer;
        fixed (float* pa1 = a1) fixed (float* pa2 = a2) fixed (float* pbias = bias) fixed (float* pc = c)
            _width.GemmPair(m, n, p1.K, pa1, lda1, p1.Pointer, k2, pa2, lda2, pb2, pbias, pc, ldc);
    }

    private SimdPackedMatrix Own(PackedMatrix<float> b, string name)
    {
        ArgumentNullException.ThrowIfNull(b, name);
        return b is SimdPackedMatrix packed && packed.Path == Path ? packed
            : throw new ArgumentException($"The operand was not packed by a {nameof(SimdMatrixKernels)} on path {Path}.", name);
    }

    /// <summary>Panels a packed operand with <paramref name="n"/> columns has on this path (units of <see cref="PackPanels"/>).</summary>
    internal int PanelCount(int n) => _width.PanelCount(n);

    /// <summary>
    /// The first half of <see cref="PackNT"/>/<see cref="PackNN"/>, for packing split across threads: storage
    /// shaped for an n × k operand (reused when large enough), contents not yet written; then
    /// <see cref="PackPanels"/> fills ranges of its panels, in any order or concurrently.
    /// </summary>
    internal PackedMatrix<float> PackShape(int n, int k, PackedMatrix<float>? reuse) => Storage(n, k, reuse);

    /// <summary>
    /// Writes panels [panel0, panel1) of <paramref name="packed"/> (from
    /// <see cref="PackShape"/>) from B as in PackNT (transposed) or PackNN.
    /// </summary>
    internal void PackPanels(PackedMatrix<float> packed, int panel0, int panel1, ReadOnlySpan<float> b, int ldb, bool transposed)
    {
        var p = Own(packed, nameof(packed));
        int n = p.N, k = p.K;
        long need = transposed ? RowsSpan(n, k, ldb) : RowsSpan(k, n, ldb);
        if (b.Length < need) throw new ArgumentException($"B holds {b.Length} values; {need} needed.", nameof(b));
        var layout = transposed ? BLayout.Transposed : BLayout.RowMajor;
        fixed (float* pb = b)
            _width.Pack(n, k, pb, ldb, layout, p.Pointer, panel0, panel1);
    }

    private SimdPackedMatrix Storage(int n, int k, PackedMatrix<float>? reuse)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "Must be ≥ 0.");
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, "Must be ≥ 0.");
        long length = _width.PackedLength(n, k);
        var packed = reuse is SimdPackedMatrix r && r.Path == Path && r.Capacity >= length ? r : new SimdPackedMatrix(Path, length);
        packed.Reshape(n, k);
        return packed;
    }

    private PackedMatrix<float> Pack(int n, int k, ReadOnlySpan<float> b, long bNeeded, int ldb, BLayout layout, PackedMatrix<float>? reuse)
    {
        if (ldb < 0) throw new ArgumentOutOfRangeException(nameof(ldb), ldb, "Must be ≥ 0.");
        if (b.Length < bNeeded) throw new ArgumentException($"B holds {b.Length} values; {bNeeded} needed.", nameof(b));
        var packed = Storage(n, k, reuse);   // checks n and k
        PackPanels(packed, 0, PanelCount(n), b, ldb, layout == BLayout.Transposed);
        return packed;
    }

    /// <summary>Values a [rows × width] operand with leading dimension ld spans (0 when empty).</summary>
    private static long RowsSpan(int rows, int width, int ld) => rows <= 0 || width <= 0 ? 0 : (long)(rows - 1) * ld + width;

    private static void Check(int m, int n, int k, ReadOnlySpan<float> a,
        long aNeeded, ReadOnlySpan<float> b, long bNeeded, Span<float> c, int ldc)
    {
        if (m < 0) throw new ArgumentOutOfRangeException(nameof(m), m, "Must be ≥ 0.");
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "Must be ≥ 0.");
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, "Must be ≥ 0.");
        if (ldc < n && m > 1) throw new ArgumentOutOfRangeException(nameof(ldc), ldc, "Rows of C must not overlap.");
        if (m == 0 || n == 0) return;
        if (a.Length < aNeeded) throw new ArgumentException($"A holds {a.Length} values; {aNeeded} needed.", nameof(a));
        if (b.Length < bNeeded) throw new ArgumentException($"B holds {b.Length} values; {bNeeded} needed.", nameof(b));
        long cNeeded = RowsSpan(m, n, ldc);
        if (c.Length < cNeeded) throw new ArgumentException($"C holds {c.Length} values; {cNeeded} needed.", nameof(c));
    }

    /// <summary>Packed storage owned by one path.</summary>
    private sealed class SimdPackedMatrix : PackedMatrix<float>
    {
        private readonly AlignedBuffer _buffer;

        public SimdPackedMatrix(KernelPath path, long capacity)
        {
            Path = path;
            _buffer = new AlignedBuffer(Math.Max(1, capacity));
        }

        public KernelPath Path { get; }
        public long Capacity => _buffer.Length;
        public float* Pointer => _buffer.Pointer;

        public void Reshape(int n, int k) { N = n; K = k; }
    }
}
