using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// Weight initializers for row-major matrices. All randomness comes from the given <see cref="Rng"/>, so
/// a seed gives the same weights on every platform and .NET version.
/// </summary>
internal static class WeightInit
{
    /// <summary>
    /// Glorot (Xavier) uniform: values uniform in [−l, l) with l = √(6 / (rows + cols)), i.e. fan-out =
    /// rows and fan-in = cols as for PyTorch's <c>xavier_uniform_</c> on a [rows × cols] weight.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="w">The rows·cols values to fill.</param>
    /// <param name="rows">Number of rows, &gt; 0.</param>
    /// <param name="cols">Number of columns, &gt; 0.</param>
    /// <param name="rng">The random source.</param>
    /// <exception cref="ArgumentException">The shape does not match <paramref name="w"/>.</exception>
    public static void GlorotUniform<T>(Span<T> w, int rows, int cols, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(w.Length, rows, cols);
        Uniform(w, Math.Sqrt(6.0 / ((double)rows + cols)), rng);
    }

    /// <summary>
    /// A (semi-)orthogonal matrix as PyTorch's <c>orthogonal_</c>: a Gaussian matrix drawn row-major
    /// from <paramref name="rng"/> (transposed first when wide) is QR-factored and Q's columns are
    /// multiplied by the signs of R's diagonal, making the result unique for the drawn matrix. Tall and
    /// square results have orthonormal columns (WᵀW = I), wide ones orthonormal rows (WWᵀ = I); all are
    /// then scaled by <paramref name="gain"/>.
    /// </summary>
    /// <typeparam name="T">float or double (computed in double, then rounded).</typeparam>
    /// <param name="w">The rows·cols values to fill.</param>
    /// <param name="rows">Number of rows, &gt; 0.</param>
    /// <param name="cols">Number of columns, &gt; 0.</param>
    /// <param name="rng">The random source.</param>
    /// <param name="gain">Scale applied to the orthogonal matrix; finite.</param>
    /// <exception cref="ArgumentException">The shape does not match <paramref name="w"/>, or the gain is not finite.</exception>
    public static void Orthogonal<T>(Span<T> w, int rows, int cols, Rng rng, double gain = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(w.Length, rows, cols);
        ArgumentNullException.ThrowIfNull(rng);
        if (!double.IsFinite(gain)) throw new ArgumentOutOfRangeException(nameof(gain), gain, "gain must be finite.");

        bool wide = rows < cols;
        int m = wide ? cols : rows, n = wide ? rows : cols; // factor the tall m×n matrix, m ≥ n
        var a = Matrix<double>.Build.Dense(m, n);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                double z = rng.NextGaussian();
                if (wide) a[c, r] = z; else a[r, c] = z;
            }

        var qr = a.QR(QRMethod.Thin);
        Matrix<double> q = qr.Q, rFactor = qr.R;
        for (int j = 0; j < n; j++)
        {
            double s = rFactor[j, j] < 0 ? -gain : gain;
            for (int i = 0; i < m; i++)
            {
                T value = T.CreateChecked(s * q[i, j]);
                if (wide) w[j * cols + i] = value; else w[i * cols + j] = value;
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="blocks"/> consecutive rows×cols blocks, each with its own
    /// <see cref="Orthogonal{T}"/> matrix: for a recurrent weight W_hh [4H × H] use 4 blocks of H × H, one
    /// per gate (see <see cref="LstmLayout"/>).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="w">The blocks·rows·cols values to fill.</param>
    /// <param name="blocks">Number of blocks, &gt; 0.</param>
    /// <param name="rows">Rows per block, &gt; 0.</param>
    /// <param name="cols">Columns per block, &gt; 0.</param>
    /// <param name="rng">The random source; blocks are drawn in order.</param>
    /// <param name="gain">Scale applied to each block; finite.</param>
    /// <exception cref="ArgumentException">The shape does not match <paramref name="w"/>, or the gain is not finite.</exception>
    public static void OrthogonalBlocks<T>(Span<T> w, int blocks, int rows, int cols, Rng rng, double gain = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (blocks <= 0) throw new ArgumentOutOfRangeException(nameof(blocks), blocks, "blocks must be > 0.");
        CheckShape(w.Length, rows, cols, blocks);
        int size = rows * cols;
        for (int k = 0; k < blocks; k++) Orthogonal(w.Slice(k * size, size), rows, cols, rng, gain);
    }

    /// <summary>Values uniform in [−<paramref name="limit"/>, <paramref name="limit"/>).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="w">The values to fill.</param>
    /// <param name="limit">Half-width of the interval; finite and ≥ 0.</param>
    /// <param name="rng">The random source.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is negative or not finite.</exception>
    public static void Uniform<T>(Span<T> w, double limit, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(limit >= 0 && double.IsFinite(limit)))
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must be finite and ≥ 0.");
        for (int i = 0; i < w.Length; i++) w[i] = T.CreateChecked((2 * rng.NextDouble() - 1) * limit);
    }

    /// <summary>Sets every value to <paramref name="value"/> (biases, e.g. a forget-gate bias of 1).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="w">The values to fill.</param>
    /// <param name="value">The value; finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not finite.</exception>
    public static void Fill<T>(Span<T> w, double value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "value must be finite.");
        w.Fill(T.CreateChecked(value));
    }

    private static void CheckShape(int length, int rows, int cols, int blocks = 1)
    {
        if (rows <= 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "rows must be > 0.");
        if (cols <= 0) throw new ArgumentOutOfRangeException(nameof(cols), cols, "cols must be > 0.");
        long needed = (long)blocks * rows * cols;
        if (needed != length)
        {
            string shape = blocks == 1 ? $"a {rows} × {cols} matrix" : $"{blocks} blocks of {rows} × {cols}";
            throw new ArgumentException($"w has {length} values but {shape} needs {needed}.", "w");
        }
    }
}
