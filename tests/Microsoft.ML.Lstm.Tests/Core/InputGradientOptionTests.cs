using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary><see cref="LstmWorkspace{T}.ComputeInputGradient"/>: skipping dL/dx changes no other gradient.</summary>
public class InputGradientOptionTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SkippingInputGradient_LeavesWeightAndStateGradientsBitIdentical(bool bidirectional)
    {
        var spec = new LstmNetworkSpec
        {
            InputSize = 3, HiddenSize = 8, NumberOfLayers = 2, Bidirectional = bidirectional,
            Head = HeadKind.ManyToMany, OutputSize = 2
        };
        var net = LstmTestKit.CreateNetwork<float>(spec, seed: 5, threads: 2);
        var rng = new Rng(6);
        var batch = LstmTestKit.RandomBatch<float>(spec, 7, [7, 4, 6], rng, initialState: true);
        var dy = LstmTestKit.Gaussian<float>(rng, 7 * 3 * spec.OutputSize);

        (float[] Grads, float[] DH0, float[] DC0) Pass(bool computeDx, out LstmWorkspace<float> ws)
        {
            ws = net.CreateWorkspace();
            ws.ComputeInputGradient = computeDx;
            var grads = net.Parameters.ZerosLike();
            net.Forward(ws, batch, training: false);
            net.Backward(ws, dy, grads);
            return (grads.Values.ToArray(), ws.InitialHiddenGradient.ToArray(), ws.InitialCellGradient.ToArray());
        }

        var full = Pass(true, out var fullWs);
        var skipped = Pass(false, out var skippedWs);
        Assert.Equal(full.Grads, skipped.Grads);
        Assert.Equal(full.DH0, skipped.DH0);
        Assert.Equal(full.DC0, skipped.DC0);
        Assert.Contains(fullWs.InputGradient.ToArray(), v => v != 0);
        var error = Assert.Throws<InvalidOperationException>(() => skippedWs.InputGradient.ToArray());
        Assert.Contains(nameof(LstmWorkspace<float>.ComputeInputGradient), error.Message);
    }
}
