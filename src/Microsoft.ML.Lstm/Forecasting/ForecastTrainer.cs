using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>What training one ensemble member produced.</summary>
/// <param name="Epochs">Epochs the network's weights come from (with early stopping: the best epoch).</param>
/// <param name="HoldoutLoss">Mean pinball loss on the holdout (NaN without a holdout).</param>
/// <param name="Outputs">Network values at every row of every dataset,
/// datasets concatenated [ΣRows × H·Q] (null without a holdout).</param>
/// <param name="History">One entry per epoch run.</param>
internal sealed record MemberFit(int Epochs, double HoldoutLoss, float[]? Outputs, IReadOnlyList<EpochProgress> History);

/// <summary>
/// Trains one <see cref="ForecastNetwork"/> through <see cref="TrainingLoop"/>: AdamW on the network and
/// Adam on the covariate weights β (two parameter groups, clipped apart), the masked pinball loss over
/// <see cref="TrainingWindows"/> planned afresh every epoch, a constant learning rate and a
/// <see cref="WeightAverage"/>; the result holds the averaged weights. It trains on one or more datasets
/// (series) at once, each with a held-out <see cref="TargetBlock"/>: only targets outside it count. With a
/// holdout, the loss on the targets in the block is measured by one causal pass over each whole series
/// (inputs inside and after the block are observations, never targets) and pooled; with early stopping
/// it is the loop's validation score after every epoch, and the best averaged weights are kept.
/// </summary>
internal sealed class ForecastTrainer : ITrainingTask<TrainingWindow>
{
    private readonly ForecastNetwork _net;
    private readonly IReadOnlyList<ForecastDataset> _data;
    private readonly IReadOnlyList<TargetBlock> _blocks;
    private readonly ForecasterSettings _options;
    private readonly PinballLoss<float> _loss;
    private readonly int[] _rows;
    private readonly float[]? _holdoutTargets;
    private readonly LstmWorkspace<float> _ws;
    private float[] _y = [], _dy = [], _regressors = [];
    private int _outputs, _outputRows;

    private ForecastTrainer(ForecastNetwork net, IReadOnlyList<ForecastDataset> data, IReadOnlyList<TargetBlock> blocks,
        ForecasterSettings options, PinballLoss<float> loss,
        ulong seed, bool holdout)
    {
        (_net, _data, _blocks, _options, _loss) = (net, data, blocks, options, loss);
        _rows = data.Select((d, k) => blocks[k].TrainableRows(d)).ToArray();
        for (int k = 0; k < _rows.Length; k++)
            if (_rows[k] == 0)
                throw new ArgumentException(
                    $"No training target of series {k} lies outside the held-out indices [{blocks[k].Start}, {blocks[k].End}): the " +
                    "series is too short.",
                    "series");
        net.Initialize(seed, data, blocks, loss.Levels);
        _holdoutTargets = holdout ? HoldoutTargets(data, blocks, net.Quantiles) : null;
        HasValidation = holdout && options.Model.EarlyStoppingPatience > 0;
        _ws = net.Net.CreateWorkspace();
        _ws.ComputeInputGradient = false;   // only weights train: dL/dx is never read
        var network = new ParameterGroup(net.Net.Parameters, net.Net.Parameters.ZerosLike(),
            Optimizers.Create<float>(new OptimizerOptions { WeightDecay = options.Model.WeightDecay }));
        Groups = net.ExogenousCount > 0
            ? [network, new ParameterGroup(net.Exogenous, net.Exogenous.ZerosLike(), Optimizers.Create<float>(new OptimizerOptions()))]
            : [network];
    }

    public IReadOnlyList<ParameterGroup> Groups { get; }

    public bool HasValidation { get; }

    public string MetricName => "pinball";

    /// <summary>
    /// Initializes <paramref name="net"/> from <paramref name="seed"/> and
    /// trains it on the targets of each dataset outside its held-out block.
    /// </summary>
    public static MemberFit Fit(ForecastNetwork net, IReadOnlyList<ForecastDataset> data, IReadOnlyList<TargetBlock> blocks,
        ForecasterSettings options, PinballLoss<float> loss,
        ulong seed, int epochs, bool holdout, CancellationToken cancellation)
    {
        var trainer = new ForecastTrainer(net, data, blocks, options, loss, seed, holdout);
        // Shuffle stream 0xF0 and no learning-rate schedule: what the forecaster's defaults were tuned with.
        var settings = new LoopSettings(epochs, options.Model.BatchSize,
            new ConstantSchedule(options.Model.LearningRate), options.Model.GradientClipNorm,
            options.Model.EarlyStoppingPatience, seed, ShuffleStream: 0xF0, WeightAveraging: options.Model.WeightAveraging);
        var result = TrainingLoop.Run(trainer, settings, cancellation);
        if (!holdout) return new MemberFit(result.BestEpoch, double.NaN, null, result.History);
        var (holdoutLoss, outputs) = trainer.Holdout();
        options.Log?.Invoke(
            $"  member seed {seed:X}: {result.BestEpoch} epochs{(trainer.HasValidation ? $" (best of {result.History.Count})" : "")}, " +
            $"holdout pinball {holdoutLoss:G4}");
        return new MemberFit(result.BestEpoch, holdoutLoss, outputs, result.History);
    }

    /// <summary>
    /// [ΣRows × H·Q] targets (datasets concatenated) of the pairs whose
    /// target time lies in the held-out block of their dataset; NaN elsewhere.
    /// </summary>
    public static float[] HoldoutTargets(IReadOnlyList<ForecastDataset> datasets, IReadOnlyList<TargetBlock> blocks, int quantiles)
    {
        int H = datasets[0].Horizon, offset = 0;
        var targets = new float[datasets.Sum(d => d.Rows) * H * quantiles];
        targets.AsSpan().Fill(float.NaN);
        for (int d = 0; d < datasets.Count; d++)
        {
            var data = datasets[d];
            for (int i = 0; i < data.Rows; i++)
                for (int h = 1; h <= H; h++)
                    if (blocks[d].Contains(data.TargetTime(i, h)) && data.TargetTime(i, h) < data.Length)
                        targets.AsSpan(((offset + i) * H + h - 1) * quantiles, quantiles).Fill(data.Targets[i * H + h - 1]);
            offset += data.Rows;
        }
        return targets;
    }

    /// <summary>New windows every epoch, planned from the loop's shuffler before it shuffles them.</summary>
    public TrainingWindow[] PlanEpoch(Rng rng) => TrainingWindows.Plan(_rows, _options.WindowSize, _options.Warmup, rng);

    public double? Forward(ReadOnlySpan<TrainingWindow> items, ulong dropoutSeed)
    {
        var (batch, targets, regressors) = TrainingWindows.Build(_data, items, _blocks, _net.Quantiles);
        _regressors = regressors;
        _outputRows = batch.Steps * batch.BatchSize;
        var forward = _net.Net.Forward(_ws, batch, training: true, dropoutSeed);
        _outputs = forward.Length;
        if (_y.Length < _outputs) (_y, _dy) = (new float[_outputs], new float[_outputs]);
        var y = _y.AsSpan(0, _outputs);
        forward.CopyTo(y);   // a copy the covariate term is added to: the network's output buffer is read by Backward
        _net.AddExogenous(y, _outputRows, regressors);
        var (loss, count) = MaskedQuantileLoss.Compute(_loss, y, _outputRows,
            _net.Horizon * _net.Quantiles, targets, _dy.AsSpan(0, _outputs));
        return count == 0 ? null : loss;
    }

    public void Backward()
    {
        var dy = _dy.AsSpan(0, _outputs);
        _net.Net.Backward(_ws, dy, Groups[0].Gradients);
        if (Groups.Count > 1) _net.ExogenousGradient(dy, _outputRows, _regressors, Groups[1].Gradients);
    }

    public (double Loss, double? Metric) Validate() => (Holdout().Loss, null);

    /// <summary>
    /// Pooled holdout loss and the outputs at every row of every dataset (concatenated), of the network's current weights.
    /// </summary>
    private (double Loss, float[] Outputs) Holdout()
    {
        int rows = _data.Sum(d => d.Rows), width = _net.Horizon * _net.Quantiles, offset = 0;
        var y = new float[rows * width];
        foreach (var data in _data)
        {
            _net.RunSeries(_ws, data.Inputs, data.Rows, data.Regressors).CopyTo(y, offset);
            offset += data.Rows * width;
        }
        return (MaskedQuantileLoss.Compute(_loss, y, rows, width, _holdoutTargets!, new float[y.Length]).Loss, y);
    }
}
