using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// The <see cref="TrainingLoop"/> hooks of the sequence trainers: batches of samples of a
/// <see cref="SequenceDataset"/> (one item is a sample index), the loss of <see cref="TrainingOptions.Loss"/>,
/// one parameter group (the network), validation by <see cref="Evaluation"/>.
/// </summary>
internal sealed class SequenceTask : ITrainingTask<int>
{
    private readonly LstmNetwork<float> _net;
    private readonly SequenceDataset _train;
    private readonly SequenceDataset? _validation;
    private readonly TrainingOptions _options;
    private readonly ILoss<float> _loss;
    private readonly BatchBuilder _builder;
    private readonly LstmWorkspace<float> _ws;
    private readonly int[] _order;
    private float[] _dy = [];
    private int _outputs;

    public SequenceTask(LstmNetwork<float> net, SequenceDataset train, SequenceDataset? validation, TrainingOptions options)
    {
        (_net, _train, _validation, _options) = (net, train, validation, options);
        _loss = Losses.Create<float>(options.Loss, options.HuberDelta);
        _builder = new BatchBuilder(net.Spec, options.Loss);
        _ws = net.CreateWorkspace();
        _ws.ComputeInputGradient = false;   // only the weights are trained
        _order = Enumerable.Range(0, train.Count).ToArray();
        Groups = [new ParameterGroup(net.Parameters, net.Parameters.ZerosLike(), Optimizers.Create<float>(options.Optimizer))];
    }

    public IReadOnlyList<ParameterGroup> Groups { get; }

    public bool HasValidation => _validation is not null;

    public string MetricName => Evaluation.MetricName(_options.Loss);

    /// <summary>The same index array every epoch: the loop reshuffles the previous epoch's order.</summary>
    public int[] PlanEpoch(Rng rng) => _order;

    public double? Forward(ReadOnlySpan<int> items, ulong dropoutSeed)
    {
        var (batch, targets, valid) = _builder.Build(_train, items);
        var y = _net.Forward(_ws, batch, training: true, dropoutSeed);
        if (_dy.Length < y.Length) _dy = new float[y.Length];
        _outputs = y.Length;
        return _loss.Compute(y, valid.Count, _net.Spec.OutputSize, targets, valid, _dy.AsSpan(0, y.Length));
    }

    public void Backward() => _net.Backward(_ws, _dy.AsSpan(0, _outputs), Groups[0].Gradients);

    public (double Loss, double? Metric) Validate() => Evaluation.Evaluate(_net, _validation!, _options, _ws);
}
