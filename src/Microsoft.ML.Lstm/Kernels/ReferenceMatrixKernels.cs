using System.Numerics;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Lstm.Kernels;

/// <summary>
/// Portable kernels: plain loops vectorized with <see cref="Vector{T}"/> along contiguous rows. They are
/// the readable specification the faster kernels are tested against, and fast enough for small models.
/// </summary>
internal sealed class ReferenceMatrixKernels<T> : IMatrixKernels<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The shared instance.</summary>
    public static readonly ReferenceMatrixKernels<T> Instance = new();

    /// <inheritdoc/>
    public void MatMulNT(int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            var ai = a.Slice(i * lda, k);
            var ci = c.Slice(i * ldc, n);
            for (int j = 0; j < n; j++)
            {
                T d = Dot(ai, b.Slice(j * ldb, k));
                ci[j] = accumulate ? ci[j] + d : d;
            }
        }
    }

    /// <inheritdoc/>
    public void MatMulNN(int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            var ci = c.Slice(i * ldc, n);
            if (!accumulate) ci.Clear();
            for (int p = 0; p < k; p++)
            {
                T s = a[i * lda + p];
                if (s != T.Zero) Axpy(s, b.Slice(p * ldb, n), ci);
            }
        }
    }

    /// <inheritdoc/>
    public void MatMulTN(int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            var ci = c.Slice(i * ldc, n);
            if (!accumulate) ci.Clear();
            for (int p = 0; p < k; p++)
            {
                T s = a[p * lda + i];
                if (s != T.Zero) Axpy(s, b.Slice(p * ldb, n), ci);
            }
        }
    }

    /// <summary>Σ x[i]·y[i] with a fixed summation order (vector lanes, then lanes in order, then tail).</summary>
    public static T Dot(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
    {
        int i = 0;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
        {
            var vx = MemoryMarshal.Cast<T, Vector<T>>(x);
            var vy = MemoryMarshal.Cast<T, Vector<T>>(y[..x.Length]);
            var acc = Vector<T>.Zero;
            for (int v = 0; v < vx.Length; v++) acc += vx[v] * vy[v];
            sum = Vector.Sum(acc);
            i = vx.Length * Vector<T>.Count;
        }
        for (; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>y += s·x.</summary>
    public static void Axpy(T s, ReadOnlySpan<T> x, Span<T> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
        {
            var vx = MemoryMarshal.Cast<T, Vector<T>>(x);
            var vy = MemoryMarshal.Cast<T, Vector<T>>(y[..x.Length]);
            var vs = new Vector<T>(s);
            for (int v = 0; v < vx.Length; v++) vy[v] += vs * vx[v];
            i = vx.Length * Vector<T>.Count;
        }
        for (; i < x.Length; i++) y[i] += s * x[i];
    }
}
