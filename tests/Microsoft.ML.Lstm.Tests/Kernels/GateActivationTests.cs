using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Kernels;
using Microsoft.ML.Lstm.Tests.Core;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.Kernels;

/// <summary>Error bounds of the vectorized σ/tanh and agreement of the fused gate step with <see cref="LstmCell{T}"/>.</summary>
public class GateActivationTests(ITestOutputHelper output)
{
    public static TheoryData<string> Paths() => SimdKernelTests.Paths();

    private static float[] Grid()
    {
        var xs = new List<float> { 0f, -0f, 1e-30f, -1e-30f, float.Epsilon, 88f,
            -88f, 100f, -100f, 1e30f, -1e30f, float.MaxValue, float.MinValue };
        for (double x = -20; x <= 20; x += 1.0 / 4096) xs.Add((float)x);
        for (double x = 1e-12; x < 1; x *= 1.01) { xs.Add((float)x); xs.Add((float)-x); }
        for (double x = 20; x < 120; x += 0.01) { xs.Add((float)x); xs.Add((float)-x); }
        var rng = new Random(1);
        for (int i = 0; i < 20000; i++) xs.Add((float)(rng.NextDouble() * 16 - 8));
        return [.. xs];
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void SigmoidAndTanh_StayWithinDocumentedErrors(string pathName)
    {
        var path = SimdKernelTests.Parse(pathName);
        var x = Grid();
        var y = new float[x.Length];
        foreach (bool sigmoid in new[] { true, false })
        {
            GateActivations.Map(KernelPaths.For(path), x, y, sigmoid);
            double worstAbs = 0, worstRel = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double exact = sigmoid ? 1 / (1 + Math.Exp(-(double)x[i])) : Math.Tanh(x[i]);
                double abs = Math.Abs(y[i] - exact);
                worstAbs = Math.Max(worstAbs, abs);
                if (!sigmoid || x[i] >= -80) worstRel = Math.Max(worstRel, exact == 0 ? abs : abs / Math.Abs(exact));
                Assert.False(float.IsNaN(y[i]), $"NaN at {x[i]}");
            }
            string name = sigmoid ? "sigmoid" : "tanh";
            output.WriteLine($"{path} {name}: max abs error {worstAbs:E3}, max relative error {worstRel:E3}");
            Assert.True(worstAbs <= (sigmoid ? GateActivations.SigmoidMaxAbsError : GateActivations.TanhMaxAbsError),
                $"{name} abs {worstAbs:E3}");
            Assert.True(worstRel <= GateActivations.MaxRelativeError, $"{name} rel {worstRel:E3}");
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void ForwardAndBackward_MatchLstmCell(string pathName)
    {
        var path = SimdKernelTests.Parse(pathName);
        var rng = new Random(17);
        foreach (int h in new[] { 1, 7, 16, 17, 64, 100 })
        {
            double[] D(int n, double scale) => Enumerable.Range(0, n).Select(_ => (rng.NextDouble() * 2 - 1) * scale).ToArray();
            var z = D(4 * h, 4); var cPrev = D(h, 2); var dh = D(h, 1); var dc = D(h, 1);
            float[] F(double[] v) => v.Select(x => (float)x).ToArray();

            var zf = F(z); var c = new float[h]; var hh = new float[h];
            GateActivations.Forward(KernelPaths.For(path), zf, F(cPrev), c, hh);
            var zd = (double[])z.Clone(); var cd = new double[h]; var hd = new double[h];
            LstmCell<double>.Forward(zd, cPrev, cd, hd);
            AssertClose(zd, zf, 1e-6, "activations");
            AssertClose(cd, c, 1e-6, "c");
            AssertClose(hd, hh, 1e-6, "h");

            var dcf = F(dc);
            GateActivations.Backward(KernelPaths.For(path), zf, c, F(cPrev), F(dh), dcf);
            var dcd = (double[])dc.Clone();
            LstmCell<double>.Backward(zd, cd, cPrev, dh, dcd);
            AssertClose(zd, zf, 1e-5, "dz");
            AssertClose(dcd, dcf, 1e-5, "dc");
        }
    }

    [Fact]
    public void Activations_AreBitIdenticalAcrossPaths()
    {
        var x = Grid();
        var expected = new float[x.Length];
        var y = new float[x.Length];
        foreach (bool sigmoid in new[] { true, false })
        {
            GateActivations.Map(KernelPaths.For(KernelPath.Scalar), x, expected, sigmoid);
            foreach (var path in SimdKernelTests.AvailablePaths())
            {
                GateActivations.Map(KernelPaths.For(path), x, y, sigmoid);
                for (int i = 0; i < x.Length; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(y[i]),
                        $"{path} {(sigmoid ? "sigmoid" : "tanh")}({x[i]:R}) = {y[i]:R}, scalar {expected[i]:R}");
            }
        }
    }

    [Fact]
    public void GateStep_IsBitIdenticalAcrossPaths()
    {
        var rng = new Random(23);
        foreach (int h in new[] { 1, 3, 4, 5, 7, 15, 16, 17, 33, 64, 100 })
        {
            float[] F(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();
            var z = F(4 * h, 6); var cPrev = F(h, 3); var dh = F(h, 1); var dc = F(h, 1);
            (float[] Z, float[] C, float[] H, float[] Dz, float[] Dc) Step(KernelPath path)
            {
                var width = KernelPaths.For(path);
                var zf = (float[])z.Clone(); var c = new float[h]; var hh = new float[h];
                GateActivations.Forward(width, zf, cPrev, c, hh);
                var acts = (float[])zf.Clone(); var dcf = (float[])dc.Clone();
                GateActivations.Backward(width, zf, c, cPrev, dh, dcf);
                return (acts, c, hh, zf, dcf);
            }
            var expected = Step(KernelPath.Scalar);
            foreach (var path in SimdKernelTests.AvailablePaths())
            {
                var actual = Step(path);
                string at = $"{path} vs Scalar, H = {h}";
                LstmTestKit.AssertBitIdentical<float>(expected.Z, actual.Z, $"{at}: activations");
                LstmTestKit.AssertBitIdentical<float>(expected.C, actual.C, $"{at}: c");
                LstmTestKit.AssertBitIdentical<float>(expected.H, actual.H, $"{at}: h");
                LstmTestKit.AssertBitIdentical<float>(expected.Dz, actual.Dz, $"{at}: dz");
                LstmTestKit.AssertBitIdentical<float>(expected.Dc, actual.Dc, $"{at}: dc");
            }
        }
    }

    private static void AssertClose(double[] expected, float[] actual, double tol, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])),
                $"{what}[{i}]: {actual[i]} vs {expected[i]}");
    }
}
