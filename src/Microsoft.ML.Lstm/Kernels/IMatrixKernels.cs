using System.Numerics;

namespace Microsoft.ML.Lstm.Kernels;

/// <summary>
/// The three matrix products the LSTM needs, on row-major arrays with leading dimensions. This is the
/// small seam behind which faster kernels replace the reference ones without touching layer code.
/// Implementations are single-threaded; callers split rows of C across threads. Every element of C must
/// be computed by an order of operations that does not depend on M (how many rows a call gets), so
/// results are bit-identical whatever the thread count.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal interface IMatrixKernels<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>C[m×n] = (accumulate ? C : 0) + A[m×k] · B[n×k]ᵀ (forward projections x·Wᵀ).</summary>
    void MatMulNT(int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate);

    /// <summary>C[m×n] = (accumulate ? C : 0) + A[m×k] · B[k×n] (input gradients dz·W).</summary>
    void MatMulNN(int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate);

    /// <summary>C[m×n] = (accumulate ? C : 0) + A[k×m]ᵀ · B[k×n] (weight gradients dzᵀ·x).</summary>
    void MatMulTN(int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate);
}
