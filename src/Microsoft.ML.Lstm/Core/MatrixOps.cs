using System.Numerics;
using Microsoft.ML.Lstm.Kernels;

namespace Microsoft.ML.Lstm.Core;

/// <summary>Small row-major helpers the layers share.</summary>
internal static class MatrixOps
{
    /// <summary>dst[j] += Σ_r src[r·cols + j] over rows, columns split across threads (fixed order per column).</summary>
    public static void AddColumnSums<T>(ComputeContext<T> ctx, T[] src, int rows, int cols, T[] dst, int dstOff)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ctx.For(cols, 64, (j0, j1) =>
        {
            var d = dst.AsSpan(dstOff + j0, j1 - j0);
            for (int r = 0; r < rows; r++)
            {
                var row = src.AsSpan(r * cols + j0, j1 - j0);
                for (int j = 0; j < row.Length; j++) d[j] += row[j];
            }
        });
    }

    /// <summary>Adds the bias vector to every row.</summary>
    public static void AddRowBias<T>(ComputeContext<T> ctx, T[] m, int rows, int cols, ReadOnlySpan<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var b = bias.ToArray();
        ctx.For(rows, 16, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                var row = m.AsSpan(r * cols, cols);
                for (int j = 0; j < cols; j++) row[j] += b[j];
            }
        });
    }

    /// <summary>Grows <paramref name="a"/> to at least <paramref name="n"/> elements (contents not kept).</summary>
    public static T[] Ensure<T>(ref T[] a, long n)
    {
        if (n > Array.MaxLength) throw new ArgumentException($"A buffer of {n} elements is too large; use smaller batches or sequences.");
        if (a.Length < n) a = new T[n];
        return a;
    }
}
