using System.Diagnostics;
using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// Mini-batch training: reshuffle every epoch, forward, loss, BPTT, clipping, optimizer step; validation,
/// learning-rate schedule, early stopping with restore of the best weights, progress, cancellation.
/// Everything random derives from <see cref="TrainingOptions.Seed"/>, so a seed gives bit-identical
/// weights whatever the thread count.
/// </summary>
internal static class TrainingLoop
{
    /// <summary>Trains <paramref name="net"/> in place.</summary>
    /// <param name="net">An initialized network.</param>
    /// <param name="train">Training sequences.</param>
    /// <param name="validation">Validation sequences; null splits <see cref="TrainingOptions.ValidationFraction"/> off <paramref name="train"/>.</param>
    /// <param name="options">Settings.</param>
    /// <param name="cancellation">Checked before every batch; cancellation throws <see cref="OperationCanceledException"/>.</param>
    public static TrainingResult Train(LstmNetwork<float> net, SequenceDataset train, SequenceDataset? validation, TrainingOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (train.Count == 0) throw new ArgumentException("The training data is empty.", nameof(train));
        train.Validate(net.Spec, options.Loss);
        validation?.Validate(net.Spec, options.Loss);
        if (validation is null && options.ValidationFraction > 0) (train, validation) = Split(train, options.ValidationFraction, options.Seed);
        if (validation is null && options.EarlyStoppingPatience > 0)
            throw new ArgumentException("Early stopping needs validation data: give a validation set or a ValidationFraction > 0.", nameof(options));

        var loss = Losses.Create<float>(options.Loss, options.HuberDelta);
        var optimizer = Optimizers.Create<float>(options.Optimizer);
        var schedule = options.Schedule ?? new ConstantSchedule(options.LearningRate);
        var builder = new BatchBuilder(net.Spec, options.Loss);
        var ws = net.CreateWorkspace();
        ws.ComputeInputGradient = false; // only the weights are trained
        var grads = net.Parameters.ZerosLike();
        var best = validation is null ? null : net.Parameters.Clone();
        var history = new List<EpochProgress>();
        var order = Enumerable.Range(0, train.Count).ToArray();
        float[] dyBuffer = [];
        var shuffler = new Rng(Rng.Derive(options.Seed, 1));
        double rate = schedule.Initial, bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0;
        bool stoppedEarly = false;

        for (int epoch = 1; epoch <= options.NumberOfEpochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            shuffler.Shuffle(order.AsSpan());
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start < order.Length; start += options.BatchSize, batches++)
            {
                cancellation.ThrowIfCancellationRequested();
                options.BeforeBatch?.Invoke();
                var idx = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start));
                var (batch, targets, valid) = builder.Build(train, idx);
                ulong dropoutSeed = Rng.Derive(options.Seed, ((ulong)epoch << 32) | (uint)batches);
                var y = net.Forward(ws, batch, training: true, dropoutSeed);
                if (dyBuffer.Length < y.Length) dyBuffer = new float[y.Length];
                var dy = dyBuffer.AsSpan(0, y.Length);
                float l = loss.Compute(y, valid.Count, net.Spec.OutputSize, targets, valid, dy);
                if (!float.IsFinite(l)) throw new InvalidOperationException($"Training diverged: the loss is {l} in epoch {epoch}, batch {batches}. Lower the learning rate or enable gradient clipping.");
                lossSum += l;
                net.Backward(ws, dy, grads);
                if (options.GradientClipNorm > 0) GradientClipping.ClipByGlobalNorm(grads, options.GradientClipNorm);
                optimizer.Step(net.Parameters, grads, rate);
            }

            double? vLoss = null, vMetric = null;
            if (validation is not null)
            {
                var (vl, vm) = Evaluation.Evaluate(net, validation, options, ws);
                (vLoss, vMetric) = (vl, vm);
                if (vl < bestLoss) { bestLoss = vl; bestEpoch = epoch; sinceBest = 0; best!.CopyFrom(net.Parameters); }
                else sinceBest++;
            }
            else bestEpoch = epoch;

            double seconds = clock.Elapsed.TotalSeconds;
            var progress = new EpochProgress(epoch, options.NumberOfEpochs, lossSum / batches, vLoss, vMetric,
                Evaluation.MetricName(options.Loss), rate, seconds, train.Count / Math.Max(seconds, 1e-9));
            history.Add(progress);
            options.Progress?.Invoke(progress);
            if (options.EarlyStoppingPatience > 0 && sinceBest >= options.EarlyStoppingPatience) { stoppedEarly = true; break; }
            rate = schedule.Next(epoch, vLoss ?? progress.TrainLoss, rate);
        }
        if (best is not null && bestEpoch > 0) net.Parameters.CopyFrom(best);
        return new TrainingResult(history, bestEpoch, stoppedEarly);
    }

    /// <summary>Seeded split: a shuffled <paramref name="fraction"/> of the samples becomes validation data.</summary>
    public static (SequenceDataset Train, SequenceDataset Validation) Split(SequenceDataset data, double fraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        int nVal = (int)Math.Round(data.Count * fraction);
        if (nVal < 1 || nVal >= data.Count)
            throw new ArgumentException($"A validation fraction of {fraction} leaves {nVal} of {data.Count} sequences for validation; need at least 1 and fewer than all.", nameof(fraction));
        var idx = Enumerable.Range(0, data.Count).ToArray();
        new Rng(Rng.Derive(seed, 2)).Shuffle(idx.AsSpan());
        return (data.Subset(idx.Skip(nVal)), data.Subset(idx.Take(nVal)));
    }
}
