using System.Numerics;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Lstm.Kernels;

/// <summary>
/// Which kernels run and on how many threads. Work is split into contiguous ranges of independent rows
/// (batch samples or output rows); no range's result depends on how the rows were split, so outputs are
/// bit-identical for any <see cref="Threads"/>.
/// </summary>
public sealed class ComputeContext<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a context.</summary>
    /// <param name="threads">Worker count; null or 0 means <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="kernels">Matrix kernels; null picks the best available for <typeparamref name="T"/>.</param>
    /// <param name="fusedGates">Use the vectorized gate math of <see cref="GateActivations"/> for float
    /// (error bound documented there); false runs the scalar specification <c>LstmCell</c>.</param>
    public ComputeContext(int? threads = null, IMatrixKernels<T>? kernels = null, bool fusedGates = true)
    {
        FusedGates = fusedGates && typeof(T) == typeof(float);
        if (threads is < 0) throw new ArgumentOutOfRangeException(nameof(threads), threads, "Thread count must be ≥ 0 (0 = all cores).");
        Threads = threads is null or 0 ? Environment.ProcessorCount : threads.Value;
        Kernels = kernels ?? KernelSelector.Best<T>();
    }

    /// <summary>Number of threads work is split across.</summary>
    public int Threads { get; }

    /// <summary>The matrix kernels.</summary>
    public IMatrixKernels<T> Kernels { get; }

    /// <summary>The kernels' packed-weights capability, when they have one.</summary>
    public IPackedMatMul<T>? Packed => Kernels as IPackedMatMul<T>;

    /// <summary>True when float gate math runs through the fused vector kernels.</summary>
    public bool FusedGates { get; }

    /// <summary>One sample's LSTM step, element-wise part (see <c>LstmCell.Forward</c>).</summary>
    public void CellForward(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> c, Span<T> h)
    {
        if (FusedGates)
            GateActivations.Forward(MemoryMarshal.Cast<T, float>(gates), MemoryMarshal.Cast<T, float>(cPrev), MemoryMarshal.Cast<T, float>(c), MemoryMarshal.Cast<T, float>(h));
        else Core.LstmCell<T>.Forward(gates, cPrev, c, h);
    }

    /// <summary>One sample's LSTM step backward, element-wise part (see <c>LstmCell.Backward</c>).</summary>
    public void CellBackward(Span<T> gates, ReadOnlySpan<T> c, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> dh, Span<T> dc)
    {
        if (FusedGates)
            GateActivations.Backward(MemoryMarshal.Cast<T, float>(gates), MemoryMarshal.Cast<T, float>(c), MemoryMarshal.Cast<T, float>(cPrev), MemoryMarshal.Cast<T, float>(dh), MemoryMarshal.Cast<T, float>(dc));
        else Core.LstmCell<T>.Backward(gates, c, cPrev, dh, dc);
    }

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over contiguous ranges covering [0, count), at most one
    /// range per thread and none smaller than <paramref name="minPerRange"/> items.
    /// </summary>
    public void For(int count, int minPerRange, Action<int, int> body)
    {
        if (count <= 0) return;
        int ranges = Math.Min(Threads, Math.Max(1, count / Math.Max(1, minPerRange)));
        if (ranges <= 1) { body(0, count); return; }
        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = ranges }, r =>
        {
            int start = (int)((long)count * r / ranges), end = (int)((long)count * (r + 1) / ranges);
            if (end > start) body(start, end);
        });
    }

    /// <summary>C[m×n] (+)= A[m×k]·B[n×k]ᵀ with rows of C split across threads. A, B, C start at their offsets.</summary>
    public void MatMulNT(int m, int n, int k, T[] a, int aOff, int lda, T[] b, int bOff, int ldb, T[] c, int cOff, int ldc, bool accumulate) =>
        For(m, RowsPerRange(n, k), (s, e) => Kernels.MatMulNT(e - s, n, k, a.AsSpan(aOff + s * lda), lda, b.AsSpan(bOff), ldb, c.AsSpan(cOff + s * ldc), ldc, accumulate));

    /// <summary>C[m×n] (+)= A[m×k]·B[k×n] with rows of C split across threads.</summary>
    public void MatMulNN(int m, int n, int k, T[] a, int aOff, int lda, T[] b, int bOff, int ldb, T[] c, int cOff, int ldc, bool accumulate) =>
        For(m, RowsPerRange(n, k), (s, e) => Kernels.MatMulNN(e - s, n, k, a.AsSpan(aOff + s * lda), lda, b.AsSpan(bOff), ldb, c.AsSpan(cOff + s * ldc), ldc, accumulate));

    /// <summary>C[m×n] (+)= A[k×m]ᵀ·B[k×n] with rows of C (columns of A) split across threads.</summary>
    public void MatMulTN(int m, int n, int k, T[] a, int aOff, int lda, T[] b, int bOff, int ldb, T[] c, int cOff, int ldc, bool accumulate) =>
        For(m, RowsPerRange(n, k), (s, e) => Kernels.MatMulTN(e - s, n, k, a.AsSpan(aOff + s), lda, b.AsSpan(bOff), ldb, c.AsSpan(cOff + s * ldc), ldc, accumulate));

    private static int RowsPerRange(int n, int k) => Math.Max(1, 16384 / Math.Max(1, n * k));
}
