using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary><see cref="SequenceBatch{T}.Reset"/>: one batch object reused for new data.</summary>
public class SequenceBatchTests
{
    private static readonly LstmNetworkSpec Spec = new() { InputSize = 2, HiddenSize = 3, OutputSize = 1 };

    [Fact]
    public void Reset_IsANewBatch_ReusingItsDefaultLengths()
    {
        var x = new float[4 * 2 * 2];
        var batch = new SequenceBatch<float>(4, 2, 2, x) { InitialHidden = new float[6], InitialCell = new float[6] };
        var lengths = batch.Lengths;
        Assert.Equal([4, 4], lengths);

        batch.Reset(3, 2, 2, x);
        Assert.Same(lengths, batch.Lengths);
        Assert.Equal([3, 3], batch.Lengths);
        Assert.Null(batch.InitialHidden);
        Assert.Null(batch.InitialCell);
        Assert.Equal((3, 2, 2), (batch.Steps, batch.BatchSize, batch.Features));

        int[] given = [1, 3];
        batch.Reset(3, 2, 2, x, lengths: given);
        Assert.Same(given, batch.Lengths);
        batch.Reset(2, 1, 2, x);
        Assert.Equal([2], batch.Lengths);
    }

    [Fact]
    public void AResetBatch_IsValidatedLikeANewOne()
    {
        var net = LstmTestKit.CreateNetwork<float>(Spec, seed: 1);
        var ws = net.CreateWorkspace();
        var x = new float[5 * Spec.InputSize];
        var batch = new SequenceBatch<float>(5, 1, Spec.InputSize, x);
        var first = net.Forward(ws, batch).ToArray();

        x[7] = float.NaN;
        batch.Reset(5, 1, Spec.InputSize, x);
        var ex = Assert.Throws<ArgumentException>(() => net.Forward(ws, batch));
        Assert.Contains("non-finite", ex.Message);

        x[7] = 0;
        batch.Reset(5, 1, Spec.InputSize, x);
        Assert.Equal(first, net.Forward(ws, batch).ToArray());
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteInputs_AreNamedWherever_TheySit_AndIgnoredInPadding(float bad)
    {
        const int T = 7, B = 3, F = 5;   // 105 values: vector blocks and a scalar tail
        var spec = new LstmNetworkSpec { InputSize = F, HiddenSize = 4 };
        var net = LstmTestKit.CreateNetwork<float>(spec, seed: 2);
        var ws = net.CreateWorkspace();
        int[] lengths = [7, 4, 6];
        var rng = new Random(3);
        var clean = Enumerable.Range(0, T * B * F).Select(_ => (float)rng.NextDouble()).ToArray();
        foreach (var (t, b, f) in new[] { (0, 0, 0), (3, 1, 2), (6, 0, 4), (5, 2, 4), (2, 2, 1) })
        {
            var x = (float[])clean.Clone();
            x[(t * B + b) * F + f] = bad;
            var ex = Assert.Throws<ArgumentException>(() => net.Forward(ws, new SequenceBatch<float>(T, B, F, x, lengths: lengths)));
            Assert.Contains($"sample {b}, step {t}, feature {f}", ex.Message);
        }
        var padded = (float[])clean.Clone();
        padded[(5 * B + 1) * F + 3] = bad;   // sample 1 has 4 steps: step 5 is padding
        net.Forward(ws, new SequenceBatch<float>(T, B, F, padded, lengths: lengths));
    }
}
