using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Kernels;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>Every bad argument is rejected with an <see cref="ArgumentException"/> that names it.</summary>
public class BadArgumentTests
{
    private const int Steps = 4, BatchSize = 3, Features = 2, Hidden = 3, Outputs = 2, Vocabulary = 5;

    private static readonly LstmNetworkSpec FloatSpec = new()
    {
        InputSize = Features, HiddenSize = Hidden, NumberOfLayers = 2,
        Bidirectional = true, OutputSize = Outputs, Head = HeadKind.ManyToMany,
    };

    private static readonly LstmNetworkSpec TokenSpec = FloatSpec with { VocabularySize = Vocabulary };

    private static int StateLength => FloatSpec.NumberOfLayers * FloatSpec.Directions * BatchSize * Hidden;

    /// <summary>Asserts that <paramref name="action"/> throws an ArgumentException (or subclass) naming <paramref name="name"/>.</summary>
    private static TException Throws<TException>(Action action, string name) where TException : ArgumentException
    {
        var ex = Assert.ThrowsAny<TException>(action);
        Assert.True(ex.ParamName == name || ex.Message.Contains(name, StringComparison.Ordinal),
            $"{ex.GetType().Name} does not name '{name}': ParamName '{ex.ParamName}', message '{ex.Message}'.");
        return ex;
    }

    private static ArgumentException Throws(Action action, string name) => Throws<ArgumentException>(action, name);

    private static SequenceBatch<float> ValidBatch(int[]? lengths = null) =>
        new(Steps, BatchSize, Features, Enumerable.Range(0, Steps * BatchSize * Features).Select(i => 0.1f * (i % 7)).ToArray(),
            null, lengths ?? [4, 1, 3]);

    private static void Forward(SequenceBatch<float> batch, LstmNetworkSpec? spec = null)
    {
        var net = LstmTestKit.CreateNetwork<float>(spec ?? FloatSpec, seed: 1);
        net.Forward(net.CreateWorkspace(), batch);
    }

    // ---- LstmNetworkSpec ----

    [Theory]
    [InlineData(nameof(LstmNetworkSpec.InputSize), 0)]
    [InlineData(nameof(LstmNetworkSpec.InputSize), -1)]
    [InlineData(nameof(LstmNetworkSpec.HiddenSize), 0)]
    [InlineData(nameof(LstmNetworkSpec.HiddenSize), -64)]
    [InlineData(nameof(LstmNetworkSpec.NumberOfLayers), 0)]
    [InlineData(nameof(LstmNetworkSpec.NumberOfLayers), -2)]
    [InlineData(nameof(LstmNetworkSpec.OutputSize), 0)]
    [InlineData(nameof(LstmNetworkSpec.OutputSize), int.MinValue)]
    [InlineData(nameof(LstmNetworkSpec.VocabularySize), -1)]
    [InlineData(nameof(LstmNetworkSpec.Dropout), -0.1)]
    [InlineData(nameof(LstmNetworkSpec.Dropout), 1.0)]
    [InlineData(nameof(LstmNetworkSpec.Dropout), 1.5)]
    [InlineData(nameof(LstmNetworkSpec.Dropout), double.NaN)]
    [InlineData(nameof(LstmNetworkSpec.RecurrentDropout), -1e-9)]
    [InlineData(nameof(LstmNetworkSpec.RecurrentDropout), 1.0)]
    [InlineData(nameof(LstmNetworkSpec.RecurrentDropout), double.PositiveInfinity)]
    [InlineData(nameof(LstmNetworkSpec.Head), 2)]
    [InlineData(nameof(LstmNetworkSpec.Head), -1)]
    public void Spec_InvalidSetting_IsRejectedByValidateAndTheNetwork(string property, double value)
    {
        var spec = property switch
        {
            nameof(LstmNetworkSpec.InputSize) => FloatSpec with { InputSize = (int)value },
            nameof(LstmNetworkSpec.HiddenSize) => FloatSpec with { HiddenSize = (int)value },
            nameof(LstmNetworkSpec.NumberOfLayers) => FloatSpec with { NumberOfLayers = (int)value },
            nameof(LstmNetworkSpec.OutputSize) => FloatSpec with { OutputSize = (int)value },
            nameof(LstmNetworkSpec.VocabularySize) => FloatSpec with { VocabularySize = (int)value },
            nameof(LstmNetworkSpec.Dropout) => FloatSpec with { Dropout = value },
            nameof(LstmNetworkSpec.RecurrentDropout) => FloatSpec with { RecurrentDropout = value },
            nameof(LstmNetworkSpec.Head) => FloatSpec with { Head = (HeadKind)(int)value },
            _ => throw new ArgumentOutOfRangeException(nameof(property)),
        };
        Throws(spec.Validate, property);
        Throws(() => spec.ParameterSlots(), property);
        Throws(() => new LstmNetwork<float>(spec), property);
        Throws(() => new LstmNetwork<double>(spec), property);
    }

    [Theory]
    [InlineData(1 << 20, false)]
    [InlineData(1 << 20, true)]
    [InlineData(1_200_000_000, false)]
    [InlineData(1_200_000_000, true)]
    [InlineData(int.MaxValue, false)]
    [InlineData(int.MaxValue, true)]
    public void Spec_HugeHiddenSize_IsRejected(int hidden, bool bidirectional)
    {
        var spec = new LstmNetworkSpec { HiddenSize = hidden, Bidirectional = bidirectional };
        Throws(spec.Validate, nameof(LstmNetworkSpec.HiddenSize));
    }

    [Fact]
    public void ComputeContext_NegativeThreads_Throws()
    {
        Throws<ArgumentOutOfRangeException>(() => new ComputeContext<float>(-1), "threads");
        Throws<ArgumentOutOfRangeException>(() => new ComputeContext<double>(int.MinValue), "threads");
        Assert.Equal(Environment.ProcessorCount, new ComputeContext<float>(0).NumberOfThreads);
    }

    // ---- SequenceBatch (checked by Forward) ----

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Batch_Empty_Throws(int batchSize)
    {
        var batch = new SequenceBatch<float>(Steps, batchSize, Features, new float[Steps * Features]);
        Throws(() => Forward(batch), "batchSize");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Batch_NoSteps_Throws(int steps) =>
        Throws(() => Forward(new SequenceBatch<float>(steps, BatchSize, Features, new float[BatchSize * Features])), "steps");

    [Theory]
    [InlineData(new[] { 4, 1 })]
    [InlineData(new[] { 4, 1, 3, 2 })]
    [InlineData(new int[0])]
    [InlineData(new[] { 4, 0, 3 })]
    [InlineData(new[] { 4, -1, 3 })]
    [InlineData(new[] { 4, 1, Steps + 1 })]
    [InlineData(new[] { int.MinValue, 1, 1 })]
    public void Batch_LengthsOutOfRangeOrWrongCount_Throws(int[] lengths) => Throws(() => Forward(ValidBatch(lengths)), "lengths");

    [Fact]
    public void Batch_InputsTooShortOrMissing_Throws()
    {
        Throws(() => Forward(new SequenceBatch<float>(Steps, BatchSize, Features, new float[Steps * BatchSize * Features - 1])), "inputs");
        Throws<ArgumentNullException>(() => Forward(new SequenceBatch<float>(Steps, BatchSize, Features, null)), "inputs");
    }

    [Theory]
    [InlineData(Features - 1)]
    [InlineData(Features + 1)]
    [InlineData(0)]
    public void Batch_FeaturesMismatch_Throws(int features) =>
        Throws(() => Forward(new SequenceBatch<float>(Steps, BatchSize, features, new float[Steps * BatchSize * (Features + 1)])),
            "features");

    [Theory]
    [InlineData(float.NaN, 1, 0, 1)]
    [InlineData(float.PositiveInfinity, 2, 2, 0)]
    [InlineData(float.NegativeInfinity, 0, 3, 1)]
    public void Batch_NonFiniteInput_ThrowsNamingSampleAndStep(float value, int sample, int step, int feature)
    {
        var batch = ValidBatch();
        batch.Inputs![LstmLayout.Index(step, sample, feature, BatchSize, Features)] = value;
        var ex = Throws(() => Forward(batch), "inputs");
        Assert.Contains($"sample {sample}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"step {step}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(SequenceBatch<float>.InitialHidden), float.NaN)]
    [InlineData(nameof(SequenceBatch<float>.InitialHidden), float.NegativeInfinity)]
    [InlineData(nameof(SequenceBatch<float>.InitialCell), float.NaN)]
    [InlineData(nameof(SequenceBatch<float>.InitialCell), float.PositiveInfinity)]
    public void Batch_NonFiniteInitialState_Throws(string state, float value)
    {
        var batch = ValidBatch();
        var s = new float[StateLength];
        s[StateLength - 2] = value;
        if (state == nameof(batch.InitialHidden)) batch.InitialHidden = s; else batch.InitialCell = s;
        Throws(() => Forward(batch), state);
    }

    [Theory]
    [InlineData(nameof(SequenceBatch<float>.InitialHidden), -1)]
    [InlineData(nameof(SequenceBatch<float>.InitialHidden), 1)]
    [InlineData(nameof(SequenceBatch<float>.InitialCell), -Hidden)]
    public void Batch_WrongSizeInitialState_Throws(string state, int delta)
    {
        var batch = ValidBatch();
        var s = new float[StateLength + delta];
        if (state == nameof(batch.InitialHidden)) batch.InitialHidden = s; else batch.InitialCell = s;
        Throws(() => Forward(batch), state);
    }

    [Theory]
    [InlineData(Vocabulary)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void Batch_TokenOutsideVocabulary_Throws(int id)
    {
        var tokens = new int[Steps * BatchSize];
        tokens[LstmLayout.Index(2, 2, 0, BatchSize, 1)] = id;   // sample 2 has 3 valid steps: step 2 is valid
        var ex = Throws(() => Forward(new SequenceBatch<float>(Steps, BatchSize, 1, null, tokens, [4, 1, 3]), TokenSpec), "tokens");
        Assert.Contains(id.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_TokensMissingTooShortOrUnexpected_Throws()
    {
        Throws<ArgumentNullException>(() => Forward(ValidBatch(), TokenSpec), "tokens");
        Throws(() => Forward(new SequenceBatch<float>(Steps, BatchSize, 1, null, new int[Steps * BatchSize - 1]), TokenSpec), "tokens");
        Throws(() => Forward(new SequenceBatch<float>(Steps, BatchSize, Features, null, new int[Steps * BatchSize])), "tokens");
    }

    [Fact]
    public void Batch_TokensPerStepOtherThanTheNetworks_Throws()
    {
        var twoPerStep = TokenSpec with { InputSize = 2 * TokenSpec.InputSize, TokensPerStep = 2 };
        var ex = Throws(() => Forward(new SequenceBatch<float>(Steps, BatchSize, 1, null, new int[Steps * BatchSize * 2]), twoPerStep),
            "features");
        Assert.Contains("expects 2", ex.Message, StringComparison.Ordinal);
        Throws(() => Forward(new SequenceBatch<float>(Steps, BatchSize, 2, null, new int[Steps * BatchSize * 2 - 1]), twoPerStep),
            "tokens");
        Assert.Throws<ArgumentException>(() => (TokenSpec with { TokensPerStep = 2, InputSize = 3 }).Validate());
        Assert.Throws<ArgumentException>(() => new LstmNetworkSpec { InputSize = 4, TokensPerStep = 2 }.Validate());
    }

    [Fact]
    public void Forward_NullOrForeignArguments_Throw()
    {
        var net = LstmTestKit.CreateNetwork<float>(FloatSpec, seed: 1);
        var other = new LstmNetwork<float>(FloatSpec with { HiddenSize = Hidden + 1 });
        Throws<ArgumentNullException>(() => net.Forward(null!, ValidBatch()), "ws");
        Throws<ArgumentNullException>(() => net.Forward(net.CreateWorkspace(), null!), "batch");
        Throws(() => net.Forward(other.CreateWorkspace(), ValidBatch()), "ws");
        Throws<ArgumentNullException>(() => new LstmNetwork<float>(null!), "spec");
    }

    // ---- Backward ----

    private static (LstmNetwork<float> Net, LstmWorkspace<float> Ws, float[] DOut) ForwardDone(LstmNetworkSpec? spec = null)
    {
        var net = LstmTestKit.CreateNetwork<float>(spec ?? FloatSpec, seed: 1);
        var ws = net.CreateWorkspace();
        var dOut = new float[net.Forward(ws, ValidBatch()).Length];
        return (net, ws, dOut);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(-Outputs * Steps * BatchSize)]
    public void Backward_WrongSizeDOutput_Throws(int delta)
    {
        var (net, ws, dOut) = ForwardDone();
        Throws(() => net.Backward(ws, new float[dOut.Length + delta], net.Parameters.ZerosLike()), "dOutput");
        net.Backward(ws, dOut, net.Parameters.ZerosLike());   // the failed call consumed nothing
    }

    [Fact]
    public void Backward_ManyToOneSizedDOutputForManyToManyHead_Throws()
    {
        var (net, ws, _) = ForwardDone();
        Throws(() => net.Backward(ws, new float[BatchSize * Outputs], net.Parameters.ZerosLike()), "dOutput");
    }

    [Fact]
    public void Backward_WrongSizeFinalStateGradientsOrGradientSet_Throws()
    {
        var (net, ws, dOut) = ForwardDone();
        var grads = net.Parameters.ZerosLike();
        Throws(() => net.Backward(ws, dOut, grads, dFinalHidden: new float[StateLength - 1]), "dFinalHidden");
        Throws(() => net.Backward(ws, dOut, grads, dFinalCell: new float[StateLength + 1]), "dFinalCell");
        var otherGrads = new LstmNetwork<float>(FloatSpec with { OutputSize = Outputs + 1 }).Parameters.ZerosLike();
        Throws(() => net.Backward(ws, dOut, otherGrads), "gradients");
        Throws<ArgumentNullException>(() => net.Backward(ws, dOut, null!), "gradients");
        Throws<ArgumentNullException>(() => net.Backward(null!, dOut, grads), "ws");
    }

    [Fact]
    public void Backward_WithoutForward_ThrowsInvalidOperation()
    {
        var net = LstmTestKit.CreateNetwork<float>(FloatSpec, seed: 1);
        var ws = net.CreateWorkspace();
        Assert.Throws<InvalidOperationException>(() =>
            net.Backward(ws, new float[Steps * BatchSize * Outputs], net.Parameters.ZerosLike()));

        // One backward per forward.
        var dOut = new float[net.Forward(ws, ValidBatch()).Length];
        net.Backward(ws, dOut, net.Parameters.ZerosLike());
        Assert.Throws<InvalidOperationException>(() => net.Backward(ws, dOut, net.Parameters.ZerosLike()));
    }

    [Theory]
    [InlineData(nameof(LstmNetworkSpec.HiddenSize))]
    [InlineData(nameof(LstmNetworkSpec.InputSize))]
    public void Backward_WorkspaceOfAnotherNetwork_Throws(string differingSetting)
    {
        // Same head and output size, so dOutput has the right length: only the workspace is wrong (Forward
        // rejects such a workspace).
        var otherSpec = differingSetting == nameof(LstmNetworkSpec.HiddenSize)
            ? FloatSpec with { HiddenSize = Hidden + 2 }
            : FloatSpec with { InputSize = Features - 1 };
        var other = LstmTestKit.CreateNetwork<float>(otherSpec, seed: 1);
        var ws = other.CreateWorkspace();
        var batch = new SequenceBatch<float>(Steps, BatchSize, otherSpec.InputSize, new float[Steps * BatchSize * otherSpec.InputSize]);
        var dOut = new float[other.Forward(ws, batch).Length];
        var net = LstmTestKit.CreateNetwork<float>(FloatSpec, seed: 1);
        Throws(() => net.Forward(ws, ValidBatch()), "ws");
        Throws(() => net.Backward(ws, dOut, net.Parameters.ZerosLike()), "ws");
    }

    // ---- Losses ----

    private const int LossRows = 3, LossWidth = 4;

    private static void Compute(LossKind kind, LossTargets<double> targets,
        bool[]? valid = null, int rows = LossRows, int width = LossWidth,
        int outputLength = LossRows * LossWidth, int dOutputLength = LossRows * LossWidth)
    {
        var output = Enumerable.Range(0, outputLength).Select(i => 0.1 * i).ToArray();
        Losses.Create<double>(kind).Compute(output, rows, width, targets, valid, new double[dOutputLength]);
    }

    private static LossTargets<double> GoodTargets(LossKind kind, int rows = LossRows) => kind == LossKind.SoftmaxCrossEntropy
        ? new LossTargets<double>(null, Enumerable.Range(0, rows).Select(r => r % LossWidth).ToArray())
        : new LossTargets<double>(Enumerable.Range(0, rows * LossWidth).Select(i => (i % 2) * 1.0).ToArray());

    public static TheoryData<object> AllLosses =>
        new() { LossKind.MeanSquaredError, LossKind.Huber, LossKind.SoftmaxCrossEntropy, LossKind.SigmoidBinaryCrossEntropy };

    [Theory]
    [InlineData(LossWidth)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void Loss_ClassIndexOutOfRange_Throws(int cls)
    {
        var ex = Throws(() => Compute(LossKind.SoftmaxCrossEntropy, new LossTargets<double>(null, [0, cls, 1])), "targets");
        Assert.Contains("row 1", ex.Message, StringComparison.Ordinal);
        // A padded (invalid) row is not checked.
        Compute(LossKind.SoftmaxCrossEntropy, new LossTargets<double>(null, [0, cls, 1]), valid: [true, false, true]);
    }

    [Theory]
    [InlineData(LossKind.MeanSquaredError, double.NaN)]
    [InlineData(LossKind.Huber, double.NaN)]
    [InlineData(LossKind.Huber, double.NegativeInfinity)]
    [InlineData(LossKind.SigmoidBinaryCrossEntropy, double.NaN)]
    [InlineData(LossKind.SigmoidBinaryCrossEntropy, double.PositiveInfinity)]
    [InlineData(LossKind.SigmoidBinaryCrossEntropy, 1.5)]
    [InlineData(LossKind.SigmoidBinaryCrossEntropy, -0.5)]
    public void Loss_BadRealTarget_ThrowsNamingRow(object lossKind, double target)
    {
        var kind = (LossKind)lossKind;
        var targets = GoodTargets(kind);
        targets.Values![1 * LossWidth + 2] = target;
        var ex = Throws(() => Compute(kind, targets), "targets");
        Assert.Contains("row 1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllLosses))]
    public void Loss_WrongLengthOrMissingTargets_Throws(object lossKind)
    {
        var kind = (LossKind)lossKind;
        Compute(kind, GoodTargets(kind));
        Throws(() => Compute(kind, GoodTargets(kind, LossRows - 1)), "targets");
        var wrongKind = kind == LossKind.SoftmaxCrossEntropy
            ? new LossTargets<double>(new double[LossRows * LossWidth])
            : new LossTargets<double>(null, new int[LossRows]);
        Throws(() => Compute(kind, wrongKind), "targets");
        Throws<ArgumentNullException>(() => Compute(kind, null!), "targets");
    }

    [Theory]
    [MemberData(nameof(AllLosses))]
    public void Loss_BadShapes_Throw(object lossKind)
    {
        var kind = (LossKind)lossKind;
        var targets = GoodTargets(kind);
        Throws(() => Compute(kind, targets, valid: [true, false]), "valid");
        Throws(() => Compute(kind, targets, rows: 0), "rows");
        Throws(() => Compute(kind, targets, width: 0), "width");
        Throws(() => Compute(kind, targets, outputLength: LossRows * LossWidth - 1), "output");
        Throws(() => Compute(kind, targets, dOutputLength: LossRows * LossWidth - 1), "dOutput");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Loss_BadHuberDelta_Throws(double delta)
    {
        Throws<ArgumentOutOfRangeException>(() => new HuberLoss<double>(delta), "delta");
        Throws<ArgumentOutOfRangeException>(() => Losses.Create<float>(LossKind.Huber, delta), "delta");
    }

    [Fact]
    public void Loss_UnknownKind_Throws() => Throws<ArgumentOutOfRangeException>(() => Losses.Create<double>((LossKind)42), "kind");
}
