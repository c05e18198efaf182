using System.Numerics;

namespace Microsoft.ML.Lstm.Kernels;

/// <summary>
/// Optional capability of an <see cref="IMatrixKernels{T}"/>: the right operand of a product is converted
/// once into the kernel's internal layout and then reused by many products. The LSTM multiplies the same
/// recurrent weights at every time step, so packing them once per forward (or backward) pass removes the
/// per-call transpose/copy of the weights from the recurrent loop. Callers test for it with
/// <c>ctx.Kernels is IPackedMatMul&lt;T&gt; packed</c> and fall back to the plain products otherwise.
/// </summary>
/// <remarks>
/// A product with a packed operand is bit-identical to the plain product it replaces
/// (<see cref="IMatrixKernels{T}.MatMulNT"/> for <see cref="PackNT"/>, <see cref="IMatrixKernels{T}.MatMulNN"/>
/// for <see cref="PackNN"/>), and, like them, independent of how rows of C are split across calls.
/// Packing writes the operand; any number of threads may then read it concurrently, but it must not be
/// repacked while a product is using it.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal interface IPackedMatMul<T> : IMatrixKernels<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Packs B stored as [n×k] row-major (leading dimension <paramref name="ldb"/>) as the right operand Bᵀ
    /// of C[m×n] = A[m×k]·Bᵀ. Reuses the storage of <paramref name="reuse"/> when it came from this kernel
    /// and is large enough (no allocation), otherwise allocates.
    /// </summary>
    /// <returns>The packed operand (<paramref name="reuse"/> itself when it was reused).</returns>
    PackedMatrix<T> PackNT(int n, int k, ReadOnlySpan<T> b, int ldb, PackedMatrix<T>? reuse = null);

    /// <summary>
    /// Packs B stored as [k×n] row-major as the right operand of C[m×n] = A[m×k]·B; otherwise like
    /// <see cref="PackNT"/>.
    /// </summary>
    /// <returns>The packed operand (<paramref name="reuse"/> itself when it was reused).</returns>
    PackedMatrix<T> PackNN(int n, int k, ReadOnlySpan<T> b, int ldb, PackedMatrix<T>? reuse = null);

    /// <summary>C[m×n] = (accumulate ? C : 0) + A[m×k]·B with B packed by this kernel (n = B.N, k = B.K).</summary>
    void MatMulPacked(int m, ReadOnlySpan<T> a, int lda, PackedMatrix<T> b, Span<T> c, int ldc, bool accumulate);

    /// <summary>
    /// C[m×n] = bias + A1[m×k1]·B1 + A2[m×k2]·B2 for B1, B2 packed by this kernel with the same n, the bias row
    /// [n] added to every row: one LSTM step's z_t = b + x_t·W_ihᵀ + h_{t−1}·W_hhᵀ in one pass over C.
    /// Bit-identical to filling C's rows with the bias and then calling <see cref="MatMulPacked"/> for B1 and
    /// for B2 with accumulate = true. A null <paramref name="b2"/> means no second term (A2 is not read).
    /// </summary>
    void MatMulPackedPair(int m, ReadOnlySpan<T> a1, int lda1, PackedMatrix<T> b1, ReadOnlySpan<T> a2, int lda2, PackedMatrix<T>? b2,
        ReadOnlySpan<T> bias, Span<T> c, int ldc);
}

/// <summary>A right operand (logically k×n) in the private layout of the kernel that packed it.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal abstract class PackedMatrix<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Columns of the products it is used in (n).</summary>
    public int N { get; protected set; }

    /// <summary>Inner dimension of the products it is used in (k).</summary>
    public int K { get; protected set; }
}
