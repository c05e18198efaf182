using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>What training one ensemble member produced.</summary>
/// <param name="Epochs">Epochs the network's weights come from (with early stopping: the best epoch).</param>
/// <param name="HoldoutLoss">Mean pinball loss on the holdout (NaN without a holdout).</param>
/// <param name="Outputs">Network values at every row [Rows × H·Q] (null without a holdout).</param>
internal sealed record MemberFit(int Epochs, double HoldoutLoss, float[]? Outputs);

/// <summary>
/// Trains one <see cref="ForecastNetwork"/> with AdamW on the masked pinball loss over
/// <see cref="TrainingWindows"/> for a fixed number of epochs, keeping a <see cref="WeightAverage"/>; the
/// result holds the averaged weights. Only targets before a limit count. With a holdout, the loss on the
/// targets in [limit, N) is measured by one causal pass over the whole series (inputs after the limit are
/// observations, never targets); with early stopping it is measured after every epoch, and the best
/// averaged weights are kept.
/// </summary>
internal sealed class ForecastTrainer
{
    private readonly ForecastNetwork _net;
    private readonly ForecastDataset _data;
    private readonly LstmForecasterOptions _options;
    private readonly PinballLoss<float> _loss;
    private readonly int _limit, _rows;
    private readonly Rng _rng;
    private readonly IOptimizer<float> _optimizer, _betaOptimizer;
    private readonly LstmWorkspace<float> _ws;
    private readonly ParameterSet<float> _grads, _betaGrads;
    private readonly WeightAverage _average;

    private ForecastTrainer(ForecastNetwork net, ForecastDataset data, LstmForecasterOptions options, PinballLoss<float> loss, ulong seed, int limit)
    {
        (_net, _data, _options, _loss, _limit) = (net, data, options, loss, limit);
        _rows = data.RowsBefore(limit);
        if (_rows == 0) throw new ArgumentException($"No training target lies before index {limit}: the series is too short.", "series");
        net.Initialize(seed, data, limit, loss.Levels);
        _rng = new Rng(Rng.Derive(seed, 0xF0));
        _optimizer = Optimizers.Create<float>(new OptimizerOptions { WeightDecay = options.WeightDecay });
        _betaOptimizer = Optimizers.Create<float>(new OptimizerOptions());
        _ws = net.Net.CreateWorkspace();
        _grads = net.Net.Parameters.ZerosLike();
        _betaGrads = net.Exogenous.ZerosLike();
        _average = new WeightAverage(net, options.WeightAveraging);
    }

    /// <summary>Initializes <paramref name="net"/> from <paramref name="seed"/> and trains it on the targets before <paramref name="limit"/>.</summary>
    public static MemberFit Fit(ForecastNetwork net, ForecastDataset data, LstmForecasterOptions options, PinballLoss<float> loss,
        ulong seed, int limit, int epochs, bool holdout, CancellationToken cancellation)
    {
        var trainer = new ForecastTrainer(net, data, options, loss, seed, limit);
        var targets = holdout ? HoldoutTargets(data, limit, net.Quantiles) : null;
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

    /// <summary>[Rows × H·Q] targets of the pairs whose target time lies in [limit, N); NaN elsewhere.</summary>
    public static float[] HoldoutTargets(ForecastDataset data, int limit, int quantiles)
    {
        int H = data.Horizon;
        var targets = new float[data.Rows * H * quantiles];
        targets.AsSpan().Fill(float.NaN);
        for (int i = 0; i < data.Rows; i++)
            for (int h = 1; h <= H; h++)
                if (data.TargetTime(i, h) >= limit && data.TargetTime(i, h) < data.Length)
                    targets.AsSpan((i * H + h - 1) * quantiles, quantiles).Fill(data.Targets[i * H + h - 1]);
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
            var (batch, targets, regressors) = TrainingWindows.Build(_data, windows.AsSpan(start, Math.Min(_options.BatchSize, windows.Length - start)), _limit, _net.Quantiles);
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

    /// <summary>Holdout loss and the outputs at every row, of the network's current weights.</summary>
    private (double Loss, float[] Outputs) Holdout(float[] targets)
    {
        var y = _net.RunSeries(_ws, _data.Inputs, _data.Rows, _data.Regressors);
        return (MaskedQuantileLoss.Compute(_loss, y, _data.Rows, _net.Horizon * _net.Quantiles, targets, new float[y.Length]).Loss, y);
    }
}
