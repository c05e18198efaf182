using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>What training one ensemble member produced.</summary>
/// <param name="Epochs">Epochs the network's weights come from (with early stopping: the best epoch).</param>
/// <param name="HoldoutLoss">Mean pinball loss on the holdout (NaN without a holdout).</param>
/// <param name="Outputs">Network values at every row of every dataset, datasets concatenated [ΣRows × H·Q] (null without a holdout).</param>
internal sealed record MemberFit(int Epochs, double HoldoutLoss, float[]? Outputs);

/// <summary>
/// Trains one <see cref="ForecastNetwork"/> with AdamW on the masked pinball loss over
/// <see cref="TrainingWindows"/> for a fixed number of epochs, keeping a <see cref="WeightAverage"/>; the
/// result holds the averaged weights. It trains on one or more datasets (series) at once, each with a
/// held-out <see cref="TargetBlock"/>: only targets outside it count. With a holdout, the loss on the
/// targets in the block is measured by one causal pass over each whole series (inputs inside and after
/// the block are observations, never targets) and pooled; with early stopping it is measured after every
/// epoch, and the best averaged weights are kept.
/// </summary>
internal sealed class ForecastTrainer
{
    private readonly ForecastNetwork _net;
    private readonly IReadOnlyList<ForecastDataset> _data;
    private readonly IReadOnlyList<TargetBlock> _blocks;
    private readonly LstmForecasterOptions _options;
    private readonly PinballLoss<float> _loss;
    private readonly int[] _rows;
    private readonly Rng _rng;
    private readonly IOptimizer<float> _optimizer, _betaOptimizer;
    private readonly LstmWorkspace<float> _ws;
    private readonly ParameterSet<float> _grads, _betaGrads;
    private readonly WeightAverage _average;

    private ForecastTrainer(ForecastNetwork net, IReadOnlyList<ForecastDataset> data, IReadOnlyList<TargetBlock> blocks, LstmForecasterOptions options, PinballLoss<float> loss, ulong seed)
    {
        (_net, _data, _blocks, _options, _loss) = (net, data, blocks, options, loss);
        _rows = data.Select((d, k) => blocks[k].TrainableRows(d)).ToArray();
        for (int k = 0; k < _rows.Length; k++)
            if (_rows[k] == 0) throw new ArgumentException($"No training target of series {k} lies outside the held-out indices [{blocks[k].Start}, {blocks[k].End}): the series is too short.", "series");
        net.Initialize(seed, data, blocks, loss.Levels);
        _rng = new Rng(Rng.Derive(seed, 0xF0));
        _optimizer = Optimizers.Create<float>(new OptimizerOptions { WeightDecay = options.WeightDecay });
        _betaOptimizer = Optimizers.Create<float>(new OptimizerOptions());
        _ws = net.Net.CreateWorkspace();
        _ws.ComputeInputGradient = false;   // only weights train: dL/dx is never read
        _grads = net.Net.Parameters.ZerosLike();
        _betaGrads = net.Exogenous.ZerosLike();
        _average = new WeightAverage(net, options.WeightAveraging);
    }

    /// <summary>Initializes <paramref name="net"/> from <paramref name="seed"/> and trains it on the targets of each dataset outside its held-out block.</summary>
    public static MemberFit Fit(ForecastNetwork net, IReadOnlyList<ForecastDataset> data, IReadOnlyList<TargetBlock> blocks, LstmForecasterOptions options, PinballLoss<float> loss,
        ulong seed, int epochs, bool holdout, CancellationToken cancellation)
    {
        var trainer = new ForecastTrainer(net, data, blocks, options, loss, seed);
        var targets = holdout ? HoldoutTargets(data, blocks, net.Quantiles) : null;
        bool early = holdout && options.EarlyStoppingPatience > 0;
        var best = early ? (Network: net.Net.Parameters.Clone(), Beta: net.Exogenous.Clone()) : default;
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = epochs, sinceBest = 0, epoch = 0;
        while (epoch < epochs)
        {
            trainer.RunEpoch(++epoch, cancellation);
            if (!early) continue;
            trainer._average.Swap(net);
            double vl = trainer.Holdout(targets!).Loss;
            if (vl < bestLoss)
            {
                (bestLoss, bestEpoch, sinceBest) = (vl, epoch, 0);
                best.Network!.CopyFrom(net.Net.Parameters);
                best.Beta!.CopyFrom(net.Exogenous);
            }
            else sinceBest++;
            trainer._average.Swap(net);
            if (sinceBest >= options.EarlyStoppingPatience) break;
        }
        trainer._average.Swap(net);   // keep the averaged weights
        if (early)
        {
            net.Net.Parameters.CopyFrom(best.Network!);
            net.Exogenous.CopyFrom(best.Beta!);
        }
        if (!holdout) return new MemberFit(epoch, double.NaN, null);
        var (holdoutLoss, outputs) = trainer.Holdout(targets!);
        options.Log?.Invoke($"  member seed {seed:X}: {bestEpoch} epochs{(early ? $" (best of {epoch})" : "")}, holdout pinball {holdoutLoss:G4}");
        return new MemberFit(bestEpoch, holdoutLoss, outputs);
    }

    /// <summary>[ΣRows × H·Q] targets (datasets concatenated) of the pairs whose target time lies in the held-out block of their dataset; NaN elsewhere.</summary>
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

    /// <summary>One pass over freshly planned, shuffled windows, one optimizer step per batch.</summary>
    private void RunEpoch(int epoch, CancellationToken cancellation)
    {
        var windows = TrainingWindows.Plan(_rows, _options.WindowSize, _options.Warmup, _rng);
        _rng.Shuffle(windows.AsSpan());
        for (int start = 0; start < windows.Length; start += _options.BatchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            var (batch, targets, regressors) = TrainingWindows.Build(_data, windows.AsSpan(start, Math.Min(_options.BatchSize, windows.Length - start)), _blocks, _net.Quantiles);
            int rows = batch.Steps * batch.BatchSize;
            var y = _net.Net.Forward(_ws, batch, training: true).ToArray();
            _net.AddExogenous(y, rows, regressors);
            var dy = new float[y.Length];
            var (loss, count) = MaskedQuantileLoss.Compute(_loss, y, rows, _net.Horizon * _net.Quantiles, targets, dy);
            if (count == 0) continue;
            if (!double.IsFinite(loss)) throw new InvalidOperationException($"Training diverged: the loss is {loss} in epoch {epoch}. Lower LearningRate.");
            _net.Net.Backward(_ws, dy, _grads);
            GradientClipping.ClipByGlobalNorm(_grads, _options.GradientClipNorm);
            _optimizer.Step(_net.Net.Parameters, _grads, _options.LearningRate);
            if (_net.ExogenousCount > 0)
            {
                _net.ExogenousGradient(dy, rows, regressors, _betaGrads);
                GradientClipping.ClipByGlobalNorm(_betaGrads, _options.GradientClipNorm);
                _betaOptimizer.Step(_net.Exogenous, _betaGrads, _options.LearningRate);
            }
            _average.Update(_net);
        }
    }

    /// <summary>Pooled holdout loss and the outputs at every row of every dataset (concatenated), of the network's current weights.</summary>
    private (double Loss, float[] Outputs) Holdout(float[] targets)
    {
        int rows = _data.Sum(d => d.Rows), width = _net.Horizon * _net.Quantiles, offset = 0;
        var y = new float[rows * width];
        foreach (var data in _data)
        {
            _net.RunSeries(_ws, data.Inputs, data.Rows, data.Regressors).CopyTo(y, offset);
            offset += data.Rows * width;
        }
        return (MaskedQuantileLoss.Compute(_loss, y, rows, width, targets, new float[y.Length]).Loss, y);
    }
}
