using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.ML.Lstm.Kernels;

namespace Microsoft.ML.Lstm.Core;

/// <summary>Small row-major helpers the layers share.</summary>
internal static class MatrixOps
{
    /// <summary>dst[j] += Σ_r src[r·cols + j] over rows, columns split across threads (fixed order per column).</summary>
    public static void AddColumnSums<T>(ComputeContext<T> ctx, T[] src, int rows, int cols, T[] dst, int dstOff)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ctx.For(cols, 64, new RowOp<T>(src, rows, cols, dst, dstOff), static (in RowOp<T> op, int j0, int j1) =>
        {
            var d = op.Vector.AsSpan(op.VectorOff + j0, j1 - j0);
            for (int r = 0; r < op.Rows; r++)
            {
                AddInPlace(d, op.Matrix.AsSpan(r * op.Cols + j0, j1 - j0));
            }
        });
    }

    /// <summary>Adds the bias vector bias[biasOff..biasOff + cols) to every row.</summary>
    public static void AddRowBias<T>(ComputeContext<T> ctx, T[] m, int rows, int cols, T[] bias, int biasOff)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ctx.For(rows, 16, new RowOp<T>(m, rows, cols, bias, biasOff), static (in RowOp<T> op, int r0, int r1) =>
        {
            var b = op.Vector.AsSpan(op.VectorOff, op.Cols);
            for (int r = r0; r < r1; r++)
            {
                AddInPlace(op.Matrix.AsSpan(r * op.Cols, op.Cols), b);
            }
        });
    }

    /// <summary>d[j] += s[j], vectorized; each element gets the same single addition as the scalar loop.</summary>
    public static void AddInPlace<T>(Span<T> d, ReadOnlySpan<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated && d.Length >= Vector<T>.Count)
        {
            var vd = MemoryMarshal.Cast<T, Vector<T>>(d);
            var vs = MemoryMarshal.Cast<T, Vector<T>>(s[..d.Length]);
            for (int v = 0; v < vd.Length; v++) vd[v] += vs[v];
            j = vd.Length * Vector<T>.Count;
        }
        for (; j < d.Length; j++) d[j] += s[j];
    }

    /// <summary>Whether every value of <paramref name="x"/> is finite (vectorized: v − v is 0 exactly when v is finite).</summary>
    public static bool AllFinite<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
        {
            var vx = MemoryMarshal.Cast<T, Vector<T>>(x);
            var bad = Vector<T>.Zero;
            for (int v = 0; v < vx.Length; v++) bad += vx[v] - vx[v];
            if (!Vector.EqualsAll(bad, Vector<T>.Zero)) return false;
            j = vx.Length * Vector<T>.Count;
        }
        for (; j < x.Length; j++) if (!T.IsFinite(x[j])) return false;
        return true;
    }

    /// <summary>Grows <paramref name="a"/> to at least <paramref name="n"/> elements (contents not kept).</summary>
    public static T[] Ensure<T>(ref T[] a, long n)
    {
        if (n > Array.MaxLength) throw new ArgumentException($"A buffer of {n} elements is too large; use smaller batches or sequences.");
        if (a.Length < n) a = new T[n];
        return a;
    }

    /// <summary>A [rows × cols] matrix and a vector at an offset: the arguments of the row/column loops above.</summary>
    private readonly record struct RowOp<T>(T[] Matrix, int Rows, int Cols, T[] Vector, int VectorOff);
}
