using System.Numerics;
using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>
/// Optimizers against independent scalar recurrences written in PyTorch's form, on the separable
/// quadratic f(p) = ½ Σ aᵢ (pᵢ − cᵢ)², whose gradient is aᵢ (pᵢ − cᵢ).
/// </summary>
public class OptimizerTests
{
    private static readonly double[] A = { 1, 2, 0.5, 3, 1.5, 0.25, 4, 1, 2.5 };
    private static readonly double[] C = { 3, -1, 0.5, 2, -2, 1, 0, -0.5, 1.25 };
    private static readonly double[] Start = { 0, 1, -2, 0.3, 4, -1, 2, 0.7, -3 };

    internal static ParameterSet<T> Make<T>(params double[] values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var set = new ParameterSet<T>(new[] { new TensorSlot("w", 0, 2, 3), new TensorSlot("b", 6, 1, 3) });
        for (int i = 0; i < values.Length; i++) set.Values[i] = T.CreateChecked(values[i]);
        return set;
    }

    private static void QuadraticGradient<T>(ParameterSet<T> p, ParameterSet<T> g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < p.Count; i++) g.Values[i] = T.CreateChecked(A[i] * (double.CreateChecked(p.Values[i]) - C[i]));
    }

    /// <summary>Runs the optimizer on the quadratic with rate lr(t) for t = 1..steps.</summary>
    private static ParameterSet<T> Run<T>(IOptimizer<T> opt, int steps, Func<int, double> lr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = Make<T>(Start);
        var g = p.ZerosLike();
        for (int t = 1; t <= steps; t++)
        {
            QuadraticGradient(p, g);
            opt.Step(p, g, lr(t));
        }
        return p;
    }

    private static double VaryingRate(int t) => 0.05 * (1 + 0.5 * Math.Sin(t));

    [Fact]
    public void Adam_FirstStep_MatchesHandComputation()
    {
        // f = ½(x − 3)², x0 = 0: g = −3; m = 0.1·(−3) = −0.3, v = 0.001·9 = 0.009;
        // m̂ = −0.3/0.1 = −3, v̂ = 0.009/0.001 = 9; x1 = 0 − 0.1·(−3)/(√9 + 1e−8) = 0.3/(3 + 1e−8).
        var p = new ParameterSet<double>(new[] { new TensorSlot("x", 0, 1, 1) });
        var g = p.ZerosLike();
        g.Values[0] = -3;
        new Adam<double>().Step(p, g, 0.1);
        Assert.Equal(0.3 / (3 + 1e-8), p.Values[0], 1e-15);
        Assert.Equal(0.09999999966666667, p.Values[0], 1e-15);
    }

    [Fact]
    public void AdamW_MatchesScalarRecurrence()
    {
        const double b1 = 0.8, b2 = 0.95, eps = 1e-6, wd = 0.1;
        var p = Run(new Adam<double>(b1, b2, eps, wd), 40, VaryingRate);
        for (int i = 0; i < A.Length; i++)
        {
            double x = Start[i], m = 0, v = 0;
            for (int t = 1; t <= 40; t++)
            {
                double lr = VaryingRate(t), grad = A[i] * (x - C[i]);
                x *= 1 - lr * wd;
                m = b1 * m + (1 - b1) * grad;
                v = b2 * v + (1 - b2) * grad * grad;
                double mHat = m / (1 - Math.Pow(b1, t)), vHat = v / (1 - Math.Pow(b2, t));
                x -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
            Assert.Equal(x, p.Values[i], 1e-12);
        }
    }

    [Fact]
    public void Adam_FloatTracksDouble()
    {
        var pf = Run(new Adam<float>(), 30, VaryingRate);
        var pd = Run(new Adam<double>(), 30, VaryingRate);
        for (int i = 0; i < A.Length; i++) Assert.Equal(pd.Values[i], pf.Values[i], 1e-4);
    }

    [Fact]
    public void AdamW_ZeroGradient_ShrinksByExactlyOneMinusLrWd()
    {
        const double lr = 0.01, wd = 0.3;
        var pd = Make<double>(Start);
        var pf = Make<float>(Start);
        var (od, of) = (new Adam<double>(weightDecay: wd), new Adam<float>(weightDecay: wd));
        double[] expected = (double[])Start.Clone();
        float[] expectedF = Start.Select(x => (float)x).ToArray();
        for (int step = 0; step < 5; step++)
        {
            od.Step(pd, pd.ZerosLike(), lr);
            of.Step(pf, pf.ZerosLike(), lr);
            for (int i = 0; i < expected.Length; i++)
            {
                expected[i] *= 1 - lr * wd;
                expectedF[i] *= (float)(1 - lr * wd);
            }
            Assert.Equal(expected, pd.Values);
            Assert.Equal(expectedF, pf.Values);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sgd_MomentumMatchesScalarRecurrence(bool nesterov)
    {
        const double mu = 0.9, wd = 0.05;
        var p = Run(new Sgd<double>(mu, nesterov, wd), 25, VaryingRate);
        for (int i = 0; i < A.Length; i++)
        {
            double x = Start[i], buf = double.NaN;
            for (int t = 1; t <= 25; t++)
            {
                double d = A[i] * (x - C[i]) + wd * x;
                buf = t == 1 ? d : mu * buf + d; // PyTorch clones the gradient into the buffer on step 1
                d = nesterov ? d + mu * buf : buf;
                x -= VaryingRate(t) * d;
            }
            Assert.Equal(x, p.Values[i], 1e-12);
        }
    }

    [Fact]
    public void Sgd_WithoutMomentum_IsPlainGradientDescent()
    {
        var p = Make<double>(Start);
        var g = Make<double>(A);
        new Sgd<double>().Step(p, g, 0.5);
        for (int i = 0; i < A.Length; i++) Assert.Equal(Start[i] - 0.5 * A[i], p.Values[i]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.7)]
    public void RmsProp_MatchesScalarRecurrence(double mu)
    {
        const double alpha = 0.9, eps = 1e-7, wd = 0.02;
        var p = Run(new RmsProp<double>(alpha, eps, mu, wd), 30, VaryingRate);
        for (int i = 0; i < A.Length; i++)
        {
            double x = Start[i], sq = 0, buf = 0;
            for (int t = 1; t <= 30; t++)
            {
                double d = A[i] * (x - C[i]) + wd * x;
                sq = alpha * sq + (1 - alpha) * d * d;
                double u = d / (Math.Sqrt(sq) + eps);
                if (mu > 0) { buf = mu * buf + u; u = buf; }
                x -= VaryingRate(t) * u;
            }
            Assert.Equal(x, p.Values[i], 1e-12);
        }
    }

    public static TheoryData<string, Func<object>, int, double, double> Convergent => new()
    {
        // name, optimizer, steps, initial rate, per-step rate decay
        { "adam", () => new Adam<double>(), 3000, 0.1, 0.997 },
        { "sgd", () => new Sgd<double>(), 400, 0.2, 1.0 },
        { "sgd-momentum", () => new Sgd<double>(0.9), 400, 0.05, 1.0 },
        { "sgd-nesterov", () => new Sgd<double>(0.9, nesterov: true), 400, 0.05, 1.0 },
        { "rmsprop", () => new RmsProp<double>(), 3000, 0.05, 0.997 },
        { "rmsprop-momentum", () => new RmsProp<double>(momentum: 0.5), 3000, 0.02, 0.997 },
    };

    [Theory]
    [MemberData(nameof(Convergent))]
    public void EachOptimizer_MinimizesConvexQuadratic(string name, Func<object> create, int steps, double lr0, double decay)
    {
        var p = Run((IOptimizer<double>)create(), steps, t => lr0 * Math.Pow(decay, t - 1));
        for (int i = 0; i < C.Length; i++)
            Assert.True(Math.Abs(p.Values[i] - C[i]) < 1e-6, $"{name}: p[{i}] = {p.Values[i]}, optimum {C[i]}");
    }

    [Fact]
    public void Reset_StartsAfresh()
    {
        var used = new Adam<double>();
        Run(used, 5, VaryingRate);
        used.Reset();
        Assert.Equal(0, used.StepCount);
        var afterReset = Run(used, 3, VaryingRate);
        var fresh = Run(new Adam<double>(), 3, VaryingRate);
        Assert.Equal(fresh.Values, afterReset.Values);
    }

    [Fact]
    public void Step_RejectsMismatchedLayouts()
    {
        var p = Make<double>(Start);
        var renamed = new ParameterSet<double>(new[] { new TensorSlot("w", 0, 3, 2), new TensorSlot("b", 6, 1, 3) });
        var shorter = new ParameterSet<double>(new[] { new TensorSlot("w", 0, 2, 3) });
        foreach (var opt in new IOptimizer<double>[] { new Adam<double>(), new Sgd<double>(0.9), new RmsProp<double>() })
        {
            Assert.Equal("gradients", Assert.Throws<ArgumentException>(() => opt.Step(p, renamed, 0.1)).ParamName);
            Assert.Equal("gradients", Assert.Throws<ArgumentException>(() => opt.Step(p, shorter, 0.1)).ParamName);
            opt.Step(p, p.ZerosLike(), 0.1);
            Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => opt.Step(shorter, shorter.ZerosLike(), 0.1)).ParamName);
            opt.Reset();
            opt.Step(shorter, shorter.ZerosLike(), 0.1);
        }
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Step_RejectsBadLearningRate(double lr)
    {
        var p = Make<float>(Start);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>().Step(p, p.ZerosLike(), lr));
        Assert.Equal("learningRate", ex.ParamName);
    }

    [Fact]
    public void Factory_BuildsTheRequestedOptimizer()
    {
        Assert.IsType<Adam<float>>(Optimizers.Create<float>(new OptimizerOptions()));
        Assert.IsType<Sgd<double>>(Optimizers.Create<double>(new OptimizerOptions { Kind = OptimizerKind.Sgd }));
        Assert.IsType<RmsProp<double>>(Optimizers.Create<double>(new OptimizerOptions { Kind = OptimizerKind.RmsProp }));

        var options = new OptimizerOptions { Kind = OptimizerKind.Sgd, Momentum = 0.9, Nesterov = true, WeightDecay = 0.05 };
        var viaFactory = Run(Optimizers.Create<double>(options), 10, VaryingRate);
        var direct = Run(new Sgd<double>(0.9, true, 0.05), 10, VaryingRate);
        Assert.Equal(direct.Values, viaFactory.Values);
    }

    [Theory]
    [InlineData("Beta1")]
    [InlineData("Beta2")]
    [InlineData("Epsilon")]
    [InlineData("WeightDecay")]
    [InlineData("Momentum")]
    [InlineData("RmsAlpha")]
    [InlineData("Nesterov")]
    [InlineData("Kind")]
    public void Options_Validate_NamesTheBadProperty(string property)
    {
        var o = new OptimizerOptions { Kind = OptimizerKind.Sgd };
        switch (property)
        {
            case "Beta1": o.Beta1 = 1; break;
            case "Beta2": o.Beta2 = -0.1; break;
            case "Epsilon": o.Epsilon = 0; break;
            case "WeightDecay": o.WeightDecay = double.NaN; break;
            case "Momentum": o.Momentum = 1.5; break;
            case "RmsAlpha": o.RmsAlpha = 1; break;
            case "Nesterov": o.Nesterov = true; break; // without momentum
            case "Kind": o.Kind = (OptimizerKind)42; break;
        }
        var ex = Assert.ThrowsAny<ArgumentException>(o.Validate);
        Assert.Equal(property, ex.ParamName);
        Assert.ThrowsAny<ArgumentException>(() => Optimizers.Create<float>(o));
    }

    [Fact]
    public void Options_Validate_RejectsSettingsTheKindCannotHonor()
    {
        Assert.Equal("Momentum", Assert.Throws<ArgumentException>(new OptimizerOptions { Momentum = 0.9 }.Validate).ParamName);
        var rms = new OptimizerOptions { Kind = OptimizerKind.RmsProp, Momentum = 0.9, Nesterov = true };
        Assert.Equal("Nesterov", Assert.Throws<ArgumentException>(rms.Validate).ParamName);
        new OptimizerOptions { Kind = OptimizerKind.RmsProp, Momentum = 0.9 }.Validate();
    }

    [Fact]
    public void Constructors_RejectBadHyperparameters()
    {
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(beta1: 1)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp<float>(epsilon: -1)).ParamName);
        Assert.Equal("nesterov", Assert.Throws<ArgumentException>(() => new Sgd<float>(nesterov: true)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(weightDecay: -1)).ParamName);
    }
}
