using System.Numerics;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Lstm.Kernels;

/// <summary>
/// Which kernels run and on how many threads. Work is split into contiguous ranges of independent rows
/// (batch samples or output rows); no range's result depends on how the rows were split, so outputs are
/// bit-identical for any <see cref="NumberOfThreads"/>. Ranges after the first run on the long-lived threads of
/// <see cref="WorkerPool"/>, so a split allocates nothing. A context may be used by several threads at once.
/// </summary>
internal sealed class ComputeContext<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a context.</summary>
    /// <param name="threads">Worker count; null or 0 means <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="kernels">Matrix kernels; null picks the best available for <typeparamref name="T"/>.</param>
    /// <param name="fusedGates">Use the vectorized gate math of <see cref="GateActivations"/> for float
    /// (error bound documented there), on the path of <paramref name="kernels"/> when they are
    /// <see cref="SimdMatrixKernels"/> and on <see cref="KernelPaths.Default"/> otherwise; false runs the
    /// scalar specification <c>LstmCell</c>.</param>
    public ComputeContext(int? threads = null, IMatrixKernels<T>? kernels = null, bool fusedGates = true)
    {
        FusedGates = fusedGates && typeof(T) == typeof(float);
        if (threads is < 0) throw new ArgumentOutOfRangeException(nameof(threads), threads, "Thread count must be ≥ 0 (0 = all cores).");
        NumberOfThreads = threads is null or 0 ? Environment.ProcessorCount : threads.Value;
        Kernels = kernels ?? KernelSelector.Best<T>();
        _gates = KernelPaths.For((Kernels as SimdMatrixKernels)?.Path ?? KernelPaths.Default);
    }

    /// <summary>Number of threads work is split across.</summary>
    public int NumberOfThreads { get; }

    /// <summary>The matrix kernels.</summary>
    public IMatrixKernels<T> Kernels { get; }

    /// <summary>The kernels' packed-weights capability, when they have one.</summary>
    public IPackedMatMul<T>? Packed => Kernels as IPackedMatMul<T>;

    /// <summary>True when float gate math runs through the fused vector kernels.</summary>
    public bool FusedGates { get; }

    private readonly Simd.IWidthKernels _gates;
    private ComputeContext<T>? _serial;

    /// <summary>One sample's LSTM step, element-wise part (see <c>LstmCell.Forward</c>).</summary>
    public void CellForward(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> c, Span<T> h)
    {
        if (FusedGates)
            GateActivations.Forward(_gates, MemoryMarshal.Cast<T, float>(gates), MemoryMarshal.Cast<T, float>(cPrev),
                MemoryMarshal.Cast<T, float>(c), MemoryMarshal.Cast<T, float>(h));
        else Core.LstmCell<T>.Forward(gates, cPrev, c, h);
    }

    /// <summary>One sample's LSTM step backward, element-wise part (see <c>LstmCell.Backward</c>).</summary>
    public void CellBackward(Span<T> gates, ReadOnlySpan<T> c, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> dh, Span<T> dc)
    {
        if (FusedGates)
            GateActivations.Backward(_gates, MemoryMarshal.Cast<T, float>(gates), MemoryMarshal.Cast<T, float>(c),
                MemoryMarshal.Cast<T, float>(cPrev), MemoryMarshal.Cast<T, float>(dh), MemoryMarshal.Cast<T, float>(dc));
        else Core.LstmCell<T>.Backward(gates, c, cPrev, dh, dc);
    }

    /// <summary>
    /// This context's kernels on the calling thread only: for work that cannot pay for a dispatch, such as
    /// the forward pass of a single sequence. Results are the same bits as on <see langword="this"/>.
    /// </summary>
    internal ComputeContext<T> Serial => _serial ??= NumberOfThreads == 1 ? this : new ComputeContext<T>(1, Kernels, FusedGates);

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over contiguous ranges covering [0, count), at most one
    /// range per thread and none smaller than <paramref name="minPerRange"/> items.
    /// </summary>
    public void For(int count, int minPerRange, Action<int, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        For(count, minPerRange, body, static (in Action<int, int> b, int start, int end) => b(start, end));
    }

    /// <summary>
    /// <see cref="For(int, int, Action{int, int})"/> with the body's arguments passed apart, so a static
    /// lambda over a struct of arguments runs without allocating. Ranges after the first run on the
    /// <see cref="WorkerPool.Shared"/> pool, or one after another on the calling thread when the pool is
    /// busy with another caller: the split, and so every result, is the same either way.
    /// </summary>
    internal void For<TArgs>(int count, int minPerRange, in TArgs args, RangeAction<TArgs> body)
    {
        if (count <= 0) return;
        int ranges = Math.Min(NumberOfThreads, Math.Max(1, count / Math.Max(1, minPerRange)));
        if (ranges <= 1) { body(in args, 0, count); return; }
        if (WorkerPool.Shared.TryRun(count, ranges, in args, body)) return;
        for (int r = 0; r < ranges; r++)
            body(in args, WorkerPool.RangeStart(count, ranges, r), WorkerPool.RangeStart(count, ranges, r + 1));
    }

    /// <summary>C[m×n] (+)= A[m×k]·B[n×k]ᵀ with rows of C split across threads. A, B, C start at their offsets.</summary>
    public void MatMulNT(int m, int n, int k, T[] a, int aOff, int lda, T[] b,
        int bOff, int ldb, T[] c, int cOff, int ldc, bool accumulate) =>
        For(m, RowsPerRange(n, k), new Gemm(Kernels, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate),
            static (in Gemm g, int s, int e) =>
                g.Kernels.MatMulNT(e - s, g.N, g.K, g.A.AsSpan(g.AOff + s * g.Lda), g.Lda, g.B.AsSpan(g.BOff), g.Ldb,
                    g.C.AsSpan(g.COff + s * g.Ldc), g.Ldc, g.Accumulate));

    /// <summary>C[m×n] (+)= A[m×k]·B[k×n] with rows of C split across threads.</summary>
    public void MatMulNN(int m, int n, int k, T[] a, int aOff, int lda, T[] b,
        int bOff, int ldb, T[] c, int cOff, int ldc, bool accumulate) =>
        For(m, RowsPerRange(n, k), new Gemm(Kernels, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate),
            static (in Gemm g, int s, int e) =>
                g.Kernels.MatMulNN(e - s, g.N, g.K, g.A.AsSpan(g.AOff + s * g.Lda), g.Lda, g.B.AsSpan(g.BOff), g.Ldb,
                    g.C.AsSpan(g.COff + s * g.Ldc), g.Ldc, g.Accumulate));

    /// <summary>C[m×n] (+)= A[k×m]ᵀ·B[k×n] with rows of C (columns of A) split across threads.</summary>
    public void MatMulTN(int m, int n, int k, T[] a, int aOff, int lda, T[] b,
        int bOff, int ldb, T[] c, int cOff, int ldc, bool accumulate) =>
        For(m, RowsPerRange(n, k), new Gemm(Kernels, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate),
            static (in Gemm g, int s, int e) =>
                g.Kernels.MatMulTN(e - s, g.N, g.K, g.A.AsSpan(g.AOff + s), g.Lda, g.B.AsSpan(g.BOff), g.Ldb,
                    g.C.AsSpan(g.COff + s * g.Ldc), g.Ldc, g.Accumulate));

    /// <summary>Operands of at least this many values are packed by all threads, each taking a range of panels.</summary>
    private const long ParallelPackValues = 1 << 16;

    /// <summary>
    /// <see cref="IPackedMatMul{T}.PackNT"/> of B [n×k] stored at b[bOff..] with leading dimension k; a large
    /// operand is packed by all threads (the bits are the same: a copy). Needs <see cref="Packed"/>.
    /// </summary>
    internal PackedMatrix<T> PackNT(int n, int k, T[] b, int bOff, PackedMatrix<T>? reuse) => Pack(n, k, b, bOff, reuse, transposed: true);

    /// <summary>
    /// <see cref="IPackedMatMul{T}.PackNN"/> of B [k×n] stored at b[bOff..] with leading dimension n; otherwise like <see cref="PackNT"/>.
    /// </summary>
    internal PackedMatrix<T> PackNN(int n, int k, T[] b, int bOff, PackedMatrix<T>? reuse) => Pack(n, k, b, bOff, reuse, transposed: false);

    private PackedMatrix<T> Pack(int n, int k, T[] b, int bOff, PackedMatrix<T>? reuse, bool transposed)
    {
        var pk = Packed ?? throw new InvalidOperationException($"The kernels {Kernels.GetType().Name} have no packed products.");
        int ldb = transposed ? k : n, values = checked(n * k);
        if (NumberOfThreads > 1 && values >= ParallelPackValues && b is float[] fb && Kernels is SimdMatrixKernels simd)
        {
            var packed = simd.PackShape(n, k, reuse as PackedMatrix<float>);
            For(simd.PanelCount(n), 1, new PackJob(simd, packed, fb, bOff, values, ldb, transposed),
                static (in PackJob j, int s, int e) =>
                    j.Kernels.PackPanels(j.Packed, s, e, j.B.AsSpan(j.Offset, j.Length), j.Ldb, j.Transposed));
            return (PackedMatrix<T>)(object)packed;
        }
        var span = b.AsSpan(bOff, values);
        return transposed ? pk.PackNT(n, k, span, ldb, reuse) : pk.PackNN(n, k, span, ldb, reuse);
    }

    /// <summary>The arguments of a packing split by panels.</summary>
    private readonly record struct PackJob(SimdMatrixKernels Kernels, PackedMatrix<float> Packed,
        float[] B, int Offset, int Length, int Ldb, bool Transposed);

    private static int RowsPerRange(int n, int k) => Math.Max(1, 16384 / Math.Max(1, n * k));

    /// <summary>The arguments of one product (its rows of C are split; the rest is shared).</summary>
    private readonly record struct Gemm(IMatrixKernels<T> Kernels, int N, int K, T[] A, int AOff, int Lda, T[] B, int BOff, int Ldb,
        T[] C, int COff, int Ldc, bool Accumulate);
}
