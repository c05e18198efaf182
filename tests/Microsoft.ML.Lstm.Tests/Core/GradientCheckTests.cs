using Microsoft.ML.Lstm.Core;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.Core;

public class GradientCheckTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6;

    public static TheoryData<string, int, bool, object, object, double, double, int> Cases => new()
    {
        // name, layers, bidirectional, head, loss, dropout, recurrentDropout, vocabulary
        { "uni-1-m2o-mse", 1, false, HeadKind.ManyToOne, LossKind.MeanSquaredError, 0, 0, 0 },
        { "uni-2-m2o-huber", 2, false, HeadKind.ManyToOne, LossKind.Huber, 0, 0, 0 },
        { "bi-1-m2o-ce", 1, true, HeadKind.ManyToOne, LossKind.SoftmaxCrossEntropy, 0, 0, 0 },
        { "bi-2-m2o-bce", 2, true, HeadKind.ManyToOne, LossKind.SigmoidBinaryCrossEntropy, 0, 0, 0 },
        { "uni-2-m2m-ce", 2, false, HeadKind.ManyToMany, LossKind.SoftmaxCrossEntropy, 0, 0, 0 },
        { "bi-2-m2m-mse", 2, true, HeadKind.ManyToMany, LossKind.MeanSquaredError, 0, 0, 0 },
        { "bi-1-m2m-bce", 1, true, HeadKind.ManyToMany, LossKind.SigmoidBinaryCrossEntropy, 0, 0, 0 },
        { "bi-2-m2o-mse-dropout", 2, true, HeadKind.ManyToOne, LossKind.MeanSquaredError, 0.3, 0.25, 0 },
        { "uni-2-m2m-huber-dropout", 2, false, HeadKind.ManyToMany, LossKind.Huber, 0.4, 0.3, 0 },
        { "bi-2-m2m-ce-embedding", 2, true, HeadKind.ManyToMany, LossKind.SoftmaxCrossEntropy, 0.2, 0.2, 7 },
    };

    /// <summary>Each pooling over steps, on variable lengths, with and without the reverse direction and dropout.</summary>
    public static TheoryData<string, int, bool, object, object, double, double, int, object> PoolingCases => new()
    {
        { "uni-1-mean-mse", 1, false, HeadKind.ManyToOne, LossKind.MeanSquaredError, 0, 0, 0, PoolingKind.Mean },
        { "bi-2-mean-ce-dropout", 2, true, HeadKind.ManyToOne, LossKind.SoftmaxCrossEntropy, 0.3, 0.25, 0, PoolingKind.Mean },
        { "uni-2-max-huber", 2, false, HeadKind.ManyToOne, LossKind.Huber, 0, 0, 0, PoolingKind.Max },
        { "bi-1-max-bce", 1, true, HeadKind.ManyToOne, LossKind.SigmoidBinaryCrossEntropy, 0, 0, 0, PoolingKind.Max },
        { "uni-1-attention-mse", 1, false, HeadKind.ManyToOne, LossKind.MeanSquaredError, 0, 0, 0, PoolingKind.Attention },
        { "bi-2-attention-ce-embedding", 2, true, HeadKind.ManyToOne, LossKind.SoftmaxCrossEntropy, 0, 0, 7,
            PoolingKind.Attention },
        { "uni-2-attention-huber-dropout", 2, false, HeadKind.ManyToOne, LossKind.Huber, 0.3, 0.25, 0, PoolingKind.Attention },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnalyticGradientsMatchCentralDifferences(string name, int layers, bool bi,
        object headKind, object lossKind, double dropout, double recDropout, int vocab) =>
        Check(name, layers, bi, headKind, lossKind, dropout, recDropout, vocab, PoolingKind.Last);

    [Theory]
    [MemberData(nameof(PoolingCases))]
    public void PooledHeads_AnalyticGradientsMatchCentralDifferences(string name, int layers, bool bi,
        object headKind, object lossKind, double dropout, double recDropout, int vocab, object pooling) =>
        Check(name, layers, bi, headKind, lossKind, dropout, recDropout, vocab, (PoolingKind)pooling);

    /// <summary>Three token ids per step (a word, its suffix, its shape), their embedding rows side by side.</summary>
    [Fact]
    public void SeveralTokensPerStep_AnalyticGradientsMatchCentralDifferences() =>
        Check("bi-1-m2m-ce-3-tokens-per-step", 1, true, HeadKind.ManyToMany, LossKind.SoftmaxCrossEntropy, 0, 0, 9,
            PoolingKind.Last, tokensPerStep: 3);

    private void Check(string name, int layers, bool bi,
        object headKind, object lossKind, double dropout, double recDropout, int vocab, PoolingKind pooling, int tokensPerStep = 1)
    {
        var (head, loss) = ((HeadKind)headKind, (LossKind)lossKind);
        var spec = new LstmNetworkSpec
        {
            InputSize = 3 * tokensPerStep, TokensPerStep = tokensPerStep, HiddenSize = 4, NumberOfLayers = layers, Bidirectional = bi,
            Head = head, OutputSize = 3, Dropout = dropout, RecurrentDropout = recDropout, VocabularySize = vocab, Pooling = pooling,
        };
        var h = new GradientCheckHarness(spec, loss, lengths: [5, 2, 4], steps: 5, seed: 11);
        var (grads, dx, dh0, dc0) = h.Analytic();

        double worst = 0;
        string worstAt = "";
        void Check(string tensor, double[] values, int index, double analytic)
        {
            double err = GradientCheckHarness.RelativeError(analytic, h.Numeric(values, index));
            if (err > worst) { worst = err; worstAt = $"{tensor}[{index}] analytic {analytic:E6}"; }
        }
        foreach (var slot in h.Net.Parameters.Slots)
            for (int i = 0; i < slot.Length; i++) Check(slot.Name, h.Net.Parameters.Values, slot.Offset + i, grads.Values[slot.Offset + i]);
        if (vocab == 0)
            for (int i = 0; i < dx.Length; i++) Check("inputs", h.Batch.Inputs!, i, dx[i]);
        for (int i = 0; i < dh0.Length; i++) Check("h0", h.Batch.InitialHidden!, i, dh0[i]);
        for (int i = 0; i < dc0.Length; i++) Check("c0", h.Batch.InitialCell!, i, dc0[i]);

        output.WriteLine($"{name}: max relative error {worst:E2} at {worstAt}");
        Assert.True(worst < Tolerance, $"{name}: max relative error {worst:E2} at {worstAt}");
    }
}
