using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Forecasting;
using Microsoft.ML.Lstm.Kernels;
using Microsoft.ML.Lstm.Tests.Core;

namespace Microsoft.ML.Lstm.Tests.Forecasting;

/// <summary>The pinball loss: hand-computed values, gradients through an LSTM against finite differences in double, and masking.</summary>
public class PinballLossTests
{
    [Fact]
    public void Values_AndGradients_MatchTheDefinition()
    {
        var loss = new PinballLoss<double>([0.1, 0.9]);
        var d = new double[2];
        // y below the target: ℓ = τ·(t − y), dℓ/dy = −τ; mean over 2 outputs.
        Assert.Equal((0.1 * 2 + 0.9 * 2) / 2, loss.Compute([1.0, 1.0], 1, 2, new LossTargets<double>([3.0, 3.0]), default, d), 12);
        Assert.Equal([-0.1 / 2, -0.9 / 2], d);
        // y above the target: ℓ = (1 − τ)·(y − t), dℓ/dy = 1 − τ.
        Assert.Equal((0.9 * 2 + 0.1 * 2) / 2, loss.Compute([3.0, 3.0], 1, 2, new LossTargets<double>([1.0, 1.0]), default, d), 12);
        Assert.Equal(0.9 / 2, d[0], 12);
        Assert.Equal(0.1 / 2, d[1], 12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void LevelsOutsideTheOpenUnitInterval_AreRejected(double level) =>
        Assert.Contains("strictly between 0 and 1", Assert.Throws<ArgumentException>(() => new PinballLoss<float>([0.5, level])).Message);

    [Fact]
    public void GradientsThroughAManyToManyLstm_MatchCentralDifferences()
    {
        var spec = new LstmNetworkSpec { InputSize = 2, HiddenSize = 3, NumberOfLayers = 2, Head = HeadKind.ManyToMany, OutputSize = 6 };
        int[] lengths = [4, 2];
        int steps = 4, B = lengths.Length, rows = steps * B;
        var net = new LstmNetwork<double>(spec, new ComputeContext<double>(1));
        net.Initialize(5);
        var rng = new Rng(6);
        var x = Enumerable.Range(0, steps * B * spec.InputSize).Select(_ => rng.NextGaussian()).ToArray();
        var batch = new SequenceBatch<double>(steps, B, spec.InputSize, x, lengths: lengths);
        var valid = Enumerable.Range(0, rows).Select(r => r / B < lengths[r % B]).ToArray();
        var loss = new PinballLoss<double>([0.1, 0.5, 0.9]);
        var ws = net.CreateWorkspace();
        // Targets at least 0.3 from the outputs on either side, so no finite-difference step crosses a kink.
        var y0 = net.Forward(ws, batch).ToArray();
        var targets = new LossTargets<double>(y0.Select(v => v + (rng.NextInt(2) * 2 - 1) * (0.3 + Math.Abs(rng.NextGaussian())))
            .ToArray());
        double Evaluate(double[] dOut) => loss.Compute(net.Forward(ws, batch), rows, spec.OutputSize, targets, valid, dOut);

        var dOut = new double[rows * spec.OutputSize];
        Evaluate(dOut);
        var grads = net.Parameters.ZerosLike();
        net.Backward(ws, dOut, grads);
        var dx = ws.InputGradient.ToArray();

        double worst = 0;
        string worstAt = "";
        void Check(double[] values, int i, double analytic)
        {
            const double eps = 1e-3;   // fourth-order central difference, as in GradientCheckHarness
            double old = values[i];
            double At(double delta) { values[i] = old + delta; return Evaluate(new double[dOut.Length]); }
            double numeric = (8 * (At(eps) - At(-eps)) - (At(2 * eps) - At(-2 * eps))) / (12 * eps);
            values[i] = old;
            // Floor 1e-6: the τ = 0.5 bias gradient can be exactly 0 (as many targets above as below).
            double err = GradientCheckHarness.RelativeError(analytic, numeric, floor: 1e-6);
            if (err > worst)
                (worst, worstAt) = (err,
                    $"index {i} of {(values == x ? "inputs" : "parameters")}: analytic {analytic:E6}, numeric {numeric:E6}");
        }
        for (int i = 0; i < net.Parameters.Count; i++) Check(net.Parameters.Values, i, grads.Values[i]);
        for (int i = 0; i < x.Length; i++) Check(x, i, dx[i]);
        Assert.True(worst < 1e-6, $"max relative gradient error {worst:E2} at {worstAt}");
    }

    [Fact]
    public void MaskedLoss_IsTheMeanOverKnownTargets()
    {
        var loss = new PinballLoss<float>([0.5]);
        float[] y = [1, 1, 1, 1], t = [3, float.NaN, float.NaN, 0];
        var d = new float[4];
        var (value, count) = MaskedQuantileLoss.Compute(loss, y, rows: 2, width: 2, t, d);
        Assert.Equal(2, count);
        Assert.Equal((0.5 * 2 + 0.5 * 1) / 2, value, 6);
        Assert.Equal([-0.25f, 0f, 0f, 0.25f], d);
    }
}
