using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>Weight initializers.</summary>
public class InitTests
{
    /// <summary>(X·Yᵀ) for row-major X [n × k] and Y [m × k] — Gram matrices of rows.</summary>
    private static double[,] RowProducts(double[] x, double[] y, int n, int m, int k)
    {
        var r = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                for (int p = 0; p < k; p++) r[i, j] += x[i * k + p] * y[j * k + p];
        return r;
    }

    private static double[] Transpose(double[] w, int rows, int cols)
    {
        var t = new double[w.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c];
        return t;
    }

    private static void AssertScaledIdentity(double[,] m, double scale, double tol)
    {
        for (int i = 0; i < m.GetLength(0); i++)
            for (int j = 0; j < m.GetLength(1); j++)
                Assert.True(Math.Abs(m[i, j] - (i == j ? scale : 0)) < tol, $"[{i},{j}] = {m[i, j]}");
    }

    /// <summary>The Gaussian matrix Orthogonal draws for this seed, row-major [rows × cols].</summary>
    private static double[] Gaussian(int rows, int cols, ulong seed)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, rows * cols).Select(_ => rng.NextGaussian()).ToArray();
    }

    [Theory]
    [InlineData(6, 3)]
    [InlineData(5, 5)]
    [InlineData(40, 40)]
    [InlineData(9, 1)]
    public void Orthogonal_TallOrSquare_HasOrthonormalColumns_AndPositiveRDiagonal(int rows, int cols)
    {
        var w = new double[rows * cols];
        WeightInit.Orthogonal<double>(w, rows, cols, new Rng(7));
        var wt = Transpose(w, rows, cols);
        AssertScaledIdentity(RowProducts(wt, wt, cols, cols, rows), 1, 1e-10);

        // PyTorch's sign correction makes W the Q of A = Q·R with diag(R) > 0, so R = WᵀA must be
        // upper triangular with a positive diagonal.
        var at = Transpose(Gaussian(rows, cols, 7), rows, cols);
        var r = RowProducts(wt, at, cols, cols, rows);
        for (int i = 0; i < cols; i++)
        {
            Assert.True(r[i, i] > 1e-6, $"R[{i},{i}] = {r[i, i]}");
            for (int j = 0; j < i; j++) Assert.True(Math.Abs(r[i, j]) < 1e-10, $"R[{i},{j}] = {r[i, j]}");
        }
    }

    [Theory]
    [InlineData(3, 7)]
    [InlineData(1, 4)]
    public void Orthogonal_Wide_HasOrthonormalRows_AndPositiveRDiagonal(int rows, int cols)
    {
        var w = new double[rows * cols];
        WeightInit.Orthogonal<double>(w, rows, cols, new Rng(11));
        AssertScaledIdentity(RowProducts(w, w, rows, rows, cols), 1, 1e-10);

        // Wide: PyTorch factors Aᵀ = Q·R and returns Qᵀ, so R = W·Aᵀ.
        var r = RowProducts(w, Gaussian(rows, cols, 11), rows, rows, cols);
        for (int i = 0; i < rows; i++)
        {
            Assert.True(r[i, i] > 1e-6);
            for (int j = 0; j < i; j++) Assert.True(Math.Abs(r[i, j]) < 1e-10);
        }
    }

    [Fact]
    public void Orthogonal_Gain_ScalesTheMatrix()
    {
        var w = new double[4 * 4];
        WeightInit.Orthogonal<double>(w, 4, 4, new Rng(3), gain: 2);
        var wt = Transpose(w, 4, 4);
        AssertScaledIdentity(RowProducts(wt, wt, 4, 4, 4), 4, 1e-10);
    }

    [Fact]
    public void Orthogonal_Float_IsOrthogonalToSinglePrecision()
    {
        var w = new float[8 * 8];
        WeightInit.Orthogonal<float>(w, 8, 8, new Rng(5));
        var wd = w.Select(x => (double)x).ToArray();
        AssertScaledIdentity(RowProducts(wd, wd, 8, 8, 8), 1, 1e-6);

        var reference = new double[8 * 8];
        WeightInit.Orthogonal<double>(reference, 8, 8, new Rng(5));
        Assert.Equal(reference.Select(x => (float)x).ToArray(), w);
    }

    [Fact]
    public void OrthogonalBlocks_EachBlockIsOrthogonal_AndBlocksDiffer()
    {
        const int blocks = 4, h = 5;
        var w = new double[blocks * h * h];
        WeightInit.OrthogonalBlocks<double>(w, blocks, h, h, new Rng(13));
        var rng = new Rng(13);
        for (int k = 0; k < blocks; k++)
        {
            var block = w.AsSpan(k * h * h, h * h).ToArray();
            AssertScaledIdentity(RowProducts(block, block, h, h, h), 1, 1e-10);
            var expected = new double[h * h];
            WeightInit.Orthogonal<double>(expected, h, h, rng); // blocks are drawn in order from one stream
            Assert.Equal(expected, block);
        }
        Assert.NotEqual(w.AsSpan(0, h * h).ToArray(), w.AsSpan(h * h, h * h).ToArray());
    }

    [Fact]
    public void GlorotUniform_WithinLimit_WithUniformVariance()
    {
        const int rows = 200, cols = 300;
        double limit = Math.Sqrt(6.0 / (rows + cols));
        var w = new double[rows * cols];
        WeightInit.GlorotUniform<double>(w, rows, cols, new Rng(1));
        Assert.All(w, x => Assert.InRange(x, -limit, limit));
        double mean = w.Average(), variance = w.Select(x => (x - mean) * (x - mean)).Average();
        Assert.True(Math.Abs(mean) < 0.01 * limit, $"mean {mean}");
        Assert.True(Math.Abs(variance / (limit * limit / 3) - 1) < 0.02, $"variance {variance} vs {limit * limit / 3}");
        Assert.True(w.Max() > 0.99 * limit && w.Min() < -0.99 * limit, "values should fill the interval");
    }

    [Fact]
    public void SameSeed_SameValues_DifferentSeed_DifferentValues()
    {
        float[] Glorot(ulong seed) { var w = new float[12]; WeightInit.GlorotUniform<float>(w, 3, 4, new Rng(seed)); return w; }
        double[] Ortho(ulong seed) { var w = new double[12]; WeightInit.Orthogonal<double>(w, 4, 3, new Rng(seed)); return w; }
        Assert.Equal(Glorot(42), Glorot(42));
        Assert.NotEqual(Glorot(42), Glorot(43));
        Assert.Equal(Ortho(42), Ortho(42));
        Assert.NotEqual(Ortho(42), Ortho(43));
    }

    [Fact]
    public void Uniform_AndFill()
    {
        var w = new double[1000];
        WeightInit.Uniform<double>(w, 0.25, new Rng(9));
        Assert.All(w, x => Assert.InRange(x, -0.25, 0.25));
        Assert.True(w.Distinct().Count() > 990);
        WeightInit.Uniform<double>(w, 0, new Rng(9));
        Assert.All(w, x => Assert.Equal(0, x));
        WeightInit.Fill<double>(w, 1.5);
        Assert.All(w, x => Assert.Equal(1.5, x));
    }

    [Fact]
    public void BadArguments_Throw_NamingTheArgument()
    {
        var w = new double[6];
        Assert.Equal("w", Assert.Throws<ArgumentException>(() => WeightInit.GlorotUniform<double>(w, 2, 4, new Rng(1))).ParamName);
        Assert.Equal("w", Assert.Throws<ArgumentException>(() => WeightInit.Orthogonal<double>(w, 3, 3, new Rng(1))).ParamName);
        Assert.Equal("w", Assert.Throws<ArgumentException>(() => WeightInit.OrthogonalBlocks<double>(w, 2, 2, 2, new Rng(1))).ParamName);
        Assert.Equal("rows",
            Assert.Throws<ArgumentOutOfRangeException>(() => WeightInit.Orthogonal<double>(w, 0, 6, new Rng(1))).ParamName);
        Assert.Equal("cols",
            Assert.Throws<ArgumentOutOfRangeException>(() => WeightInit.GlorotUniform<double>(w, 6, -1, new Rng(1))).ParamName);
        Assert.Equal("blocks",
            Assert.Throws<ArgumentOutOfRangeException>(() => WeightInit.OrthogonalBlocks<double>(w, 0, 2, 3, new Rng(1))).ParamName);
        Assert.Equal("gain",
            Assert.Throws<ArgumentOutOfRangeException>(() => WeightInit.Orthogonal<double>(w, 2, 3, new Rng(1), double.NaN)).ParamName);
        Assert.Equal("limit", Assert.Throws<ArgumentOutOfRangeException>(() => WeightInit.Uniform<double>(w, -1, new Rng(1))).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => WeightInit.Fill<double>(w, double.NaN)).ParamName);
        Assert.Throws<ArgumentNullException>(() => WeightInit.Uniform<double>(w, 1, null!));
    }
}
