using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>Global-norm gradient clipping.</summary>
public class OptimizerClippingTests
{
    private static readonly double[] Grad = { 3, -4, 12, 0, 1, -2, 0.5, 7, -6 };

    private static double Norm(IEnumerable<double> values) => Math.Sqrt(values.Sum(x => x * x));

    [Fact]
    public void Clip_ReturnsNormBefore_PreservesDirection_AndYieldsMaxNorm()
    {
        var g = OptimizerTests.Make<double>(Grad);
        double before = GradientClipping.ClipByGlobalNorm(g, 2.5);
        Assert.Equal(Norm(Grad), before, 1e-12);
        Assert.Equal(2.5, Norm(g.Values), 1e-14);
        for (int i = 0; i < Grad.Length; i++) Assert.Equal(Grad[i] * 2.5 / before, g.Values[i], 1e-15);
    }

    [Fact]
    public void Clip_SimpleCase()
    {
        var g = OptimizerTests.Make<double>(3, 4);
        Assert.Equal(5, GradientClipping.ClipByGlobalNorm(g, 1));
        Assert.Equal(0.6, g.Values[0], 1e-15);
        Assert.Equal(0.8, g.Values[1], 1e-15);
        Assert.All(g.Values.Skip(2), x => Assert.Equal(0, x));
    }

    [Fact]
    public void Clip_Float_YieldsMaxNorm()
    {
        var g = OptimizerTests.Make<float>(Grad);
        double before = GradientClipping.ClipByGlobalNorm(g, 1.0);
        Assert.Equal(Norm(Grad), before, 1e-5);
        Assert.Equal(1.0, Norm(g.Values.Select(x => (double)x)), 1e-6);
    }

    [Theory]
    [InlineData(100.0)]
    [InlineData(double.PositiveInfinity)]
    public void Clip_BelowMaxNorm_LeavesGradientsUntouched(double maxNorm)
    {
        var g = OptimizerTests.Make<double>(Grad);
        Assert.Equal(Norm(Grad), GradientClipping.ClipByGlobalNorm(g, maxNorm), 1e-12);
        Assert.Equal(OptimizerTests.Make<double>(Grad).Values, g.Values);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Clip_NonFiniteGradient_Throws(double bad)
    {
        var g = OptimizerTests.Make<float>(Grad);
        g.Values[4] = (float)bad;
        var ex = Assert.Throws<InvalidOperationException>(() => GradientClipping.ClipByGlobalNorm(g, 1.0));
        Assert.Contains("diverged", ex.Message);
        Assert.Contains("non-finite", ex.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Clip_BadMaxNorm_Throws(double maxNorm)
    {
        var g = OptimizerTests.Make<double>(Grad);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm(g, maxNorm));
        Assert.Equal("maxNorm", ex.ParamName);
    }
}
