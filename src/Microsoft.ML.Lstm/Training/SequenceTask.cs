using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// The <see cref="TrainingLoop"/> hooks of the sequence trainers: batches of samples (one item is a sample) of a
/// <see cref="SequenceDataset"/> in memory, shuffled whole every epoch, or read from an <see cref="ISequenceStream"/> every
/// epoch; the loss of <see cref="TrainingOptions.Loss"/>, one parameter group (the network), validation by
/// <see cref="Evaluation"/>.
/// </summary>
internal sealed class SequenceTask : ITrainingTask<SequenceSample>
{
    private readonly LstmNetwork<float> _net;
    private readonly SequenceSample[] _order;
    private readonly SequenceDataset? _validation;
    private readonly ISequenceStream? _stream;
    private readonly int _featuresPerStep;
    private readonly TrainingOptions _options;
    private readonly ILoss<float> _loss;
    private readonly BatchBuilder _builder;
    private readonly LstmWorkspace<float> _ws;
    private float[] _dy = [];
    private int _outputs;

    /// <summary>Training on samples held in memory, with optional held-out samples.</summary>
    public SequenceTask(LstmNetwork<float> net, SequenceDataset train, SequenceDataset? validation, TrainingOptions options)
        : this(net, train.FeaturesPerStep, options)
    {
        _order = [.. train.Samples];
        _validation = validation;
    }

    /// <summary>Training on samples read from <paramref name="stream"/> every epoch (and validation on its held-out rows).</summary>
    public SequenceTask(LstmNetwork<float> net, ISequenceStream stream, TrainingOptions options)
        : this(net, stream.FeaturesPerStep, options)
    {
        _stream = stream;
    }

    private SequenceTask(LstmNetwork<float> net, int featuresPerStep, TrainingOptions options)
    {
        (_net, _featuresPerStep, _options) = (net, featuresPerStep, options);
        _order = [];
        _loss = Losses.Create<float>(options.Loss, options.HuberDelta);
        _builder = new BatchBuilder(net.Spec, options.Loss);
        _ws = net.CreateWorkspace();
        _ws.ComputeInputGradient = false;   // only the weights are trained
        Groups = [new ParameterGroup(net.Parameters, net.Parameters.ZerosLike(), Optimizers.Create<float>(options.Optimizer))];
    }

    public IReadOnlyList<ParameterGroup> Groups { get; }

    public bool HasValidation => _validation is not null || _stream is { HasValidation: true };

    public string MetricName => Evaluation.MetricName(_options.Loss);

    /// <summary>
    /// The samples in memory, the same array every epoch: the loop reshuffles the previous epoch's order (empty when the
    /// samples are streamed: <see cref="Batches"/> reads them).
    /// </summary>
    public SequenceSample[] PlanEpoch(Rng rng) => _order;

    /// <summary>The samples in memory shuffled, or the stream's samples of this epoch, in batches.</summary>
    public IEnumerable<ArraySegment<SequenceSample>> Batches(Rng rng, int batchSize) => _stream is null
        ? TrainingLoop.ShuffledBatches(PlanEpoch(rng), rng, batchSize)
        : TrainingLoop.InBatches(_stream.Training(rng), batchSize);

    public double? Forward(ReadOnlySpan<SequenceSample> items, ulong dropoutSeed)
    {
        var (batch, targets, valid) = _builder.Build(_featuresPerStep, items);
        var y = _net.Forward(_ws, batch, training: true, dropoutSeed);
        if (_dy.Length < y.Length) _dy = new float[y.Length];
        _outputs = y.Length;
        return _loss.Compute(y, valid.Count, _net.Spec.OutputSize, targets, valid, _dy.AsSpan(0, y.Length));
    }

    public void Backward() => _net.Backward(_ws, _dy.AsSpan(0, _outputs), Groups[0].Gradients);

    public (double Loss, double? Metric) Validate() => _stream is null
        ? Evaluation.Evaluate(_net, _validation!, _options, _ws)
        : Evaluation.Evaluate(_net, _featuresPerStep, _stream.Validation(), _options, _ws);
}
