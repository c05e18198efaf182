using System.Diagnostics;
using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// The training loop of every model in this library: the sequence trainers (<see cref="Train"/>) and the
/// forecaster run it through <see cref="ITrainingTask{TItem}"/> hooks. Each epoch it takes the task's batches
/// (its items shuffled, or read in a shuffled stream) and, batch after batch, checks cancellation, runs the
/// task's forward pass and loss, stops on a non-finite or exploding loss, runs the backward pass, clips and
/// steps every parameter group and folds the weights into the average (if any); after the epoch it validates,
/// keeps the best weights, reports progress, stops early and moves the learning rate. Everything random derives
/// from the seed, so a seed gives bit-identical weights whatever the thread count.
/// </summary>
internal static class TrainingLoop
{
    /// <summary>Trains <paramref name="net"/> in place.</summary>
    /// <param name="net">An initialized network.</param>
    /// <param name="train">Training sequences.</param>
    /// <param name="validation">Validation sequences; null splits
    /// <see cref="TrainingOptions.ValidationFraction"/> off <paramref name="train"/>.</param>
    /// <param name="options">Settings.</param>
    /// <param name="cancellation">Checked before every batch; cancellation throws <see cref="OperationCanceledException"/>.</param>
    public static TrainingResult Train(LstmNetwork<float> net, SequenceDataset train, SequenceDataset? validation, TrainingOptions options,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (train.Count == 0) throw new ArgumentException("The training data is empty.", nameof(train));
        train.Validate(net.Spec, options.Loss);
        validation?.Validate(net.Spec, options.Loss);
        if (validation is null && options.ValidationFraction > 0)
            (train, validation) = Split(train, options.ValidationFraction, options.Seed);
        if (validation is null && options.EarlyStoppingPatience > 0)
            throw new ArgumentException("Early stopping needs validation data: give a validation set or a ValidationFraction > 0.",
                nameof(options));
        return Run(new SequenceTask(net, train, validation, options), Settings(options), cancellation);
    }

    /// <summary>
    /// Trains <paramref name="net"/> in place on sequences read anew every epoch (none is held beyond the stream's shuffle
    /// pool and the current batch); the stream holds out its own validation rows.
    /// </summary>
    public static TrainingResult TrainStreamed(LstmNetwork<float> net, ISequenceStream train, TrainingOptions options,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!train.HasValidation && options.EarlyStoppingPatience > 0)
            throw new ArgumentException("Early stopping needs validation data: give a ValidationFraction > 0.", nameof(options));
        return Run(new SequenceTask(net, train, options), Settings(options), cancellation);
    }

    /// <summary>
    /// Trains <paramref name="net"/> (a per-step head over the blank and C − 1 classes, on float frames) in place with the
    /// CTC loss; <see cref="TrainingOptions.ValidationFraction"/> of the sequences is held out as <see cref="Train"/> does.
    /// </summary>
    public static TrainingResult TrainCtc(LstmNetwork<float> net, IReadOnlyList<CtcSequence> train, TrainingOptions options,
        CancellationToken cancellation = default)
    {
        options.Validate();
        if (train.Count == 0) throw new ArgumentException("The training data is empty.", nameof(train));
        IReadOnlyList<CtcSequence>? validation = null;
        if (options.ValidationFraction > 0)
        {
            var (keep, held) = SplitIndices(train.Count, options.ValidationFraction, options.Seed);
            (train, validation) = ([.. keep.Select(i => train[i])], [.. held.Select(i => train[i])]);
        }
        return Run(new CtcTask(net, train, options.Optimizer, validation), Settings(options), cancellation);
    }

    /// <summary>The loop settings of <paramref name="options"/> (the sequence trainers', CTC's and the language model's).</summary>
    internal static LoopSettings Settings(TrainingOptions options) => new(options.NumberOfEpochs, options.BatchSize,
        options.Schedule ?? new ConstantSchedule(options.LearningRate),
        options.GradientClipNorm, options.EarlyStoppingPatience, options.Seed, ShuffleStream: 1, Progress: options.Progress);

    /// <summary>
    /// The default batches of <see cref="ITrainingTask{TItem}.Batches"/>: <paramref name="items"/> shuffled in place with
    /// <paramref name="rng"/> (an array returned again is reshuffled from its last order), in slices of
    /// <paramref name="batchSize"/>.
    /// </summary>
    internal static IEnumerable<ArraySegment<TItem>> ShuffledBatches<TItem>(TItem[] items, Rng rng, int batchSize)
    {
        rng.Shuffle(items.AsSpan());
        for (int start = 0; start < items.Length; start += batchSize)
            yield return new ArraySegment<TItem>(items, start, Math.Min(batchSize, items.Length - start));
    }

    /// <summary>
    /// <paramref name="items"/> in order, in batches of <paramref name="batchSize"/> (the last one may be shorter); one array is
    /// reused for every batch.
    /// </summary>
    internal static IEnumerable<ArraySegment<TItem>> InBatches<TItem>(IEnumerable<TItem> items, int batchSize)
    {
        var batch = new TItem[batchSize];
        int n = 0;
        foreach (var item in items)
        {
            batch[n++] = item;
            if (n < batchSize) continue;
            yield return new ArraySegment<TItem>(batch, 0, n);
            n = 0;
        }
        if (n > 0) yield return new ArraySegment<TItem>(batch, 0, n);
    }

    /// <summary>Seeded split: a shuffled <paramref name="fraction"/> of the samples becomes validation data.</summary>
    public static (SequenceDataset Train, SequenceDataset Validation) Split(SequenceDataset data, double fraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (keep, held) = SplitIndices(data.Count, fraction, seed);
        return (data.Subset(keep), data.Subset(held));
    }

    /// <summary>The seeded split of <see cref="Split"/> as indices: those kept for training, those held out.</summary>
    private static (int[] Train, int[] Validation) SplitIndices(int count, double fraction, ulong seed)
    {
        int nVal = (int)Math.Round(count * fraction);
        if (nVal < 1 || nVal >= count)
            throw new ArgumentException(
                $"A validation fraction of {fraction} leaves {nVal} of {count} sequences for validation; need at least 1 and fewer " +
                "than all. Give more rows, or change ValidationFraction (0 trains without validation and early stopping).",
                nameof(fraction));
        var idx = Enumerable.Range(0, count).ToArray();
        new Rng(Rng.Derive(seed, 2)).Shuffle(idx.AsSpan());
        return ([.. idx.Skip(nVal)], [.. idx.Take(nVal)]);
    }

    /// <summary>
    /// Trains the task's parameter groups in place. With validation the groups end at the weights of the
    /// best validation epoch (with weight averaging, the best averaged weights); without, at the last
    /// (averaged) weights.
    /// </summary>
    internal static TrainingResult Run<TItem>(ITrainingTask<TItem> task, LoopSettings settings, CancellationToken cancellation)
    {
        var groups = task.Groups;
        var average = settings.WeightAveraging is { } decay ? new WeightAverage(groups, decay, settings.WeightAveragingWarmUp) : null;
        var best = task.HasValidation ? groups.Select(g => g.Parameters.Clone()).ToArray() : null;
        var shuffler = new Rng(Rng.Derive(settings.Seed, settings.ShuffleStream));
        var history = new List<EpochProgress>();
        double rate = settings.Schedule.Initial, bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0;
        bool stoppedEarly = false;
        var divergence = new DivergenceCheck();

        for (int epoch = 1; epoch <= settings.NumberOfEpochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            double lossSum = 0;
            int steps = 0, batch = -1;
            long sequences = 0;
            foreach (var slice in task.Batches(shuffler, settings.BatchSize))
            {
                batch++;
                sequences += slice.Count;
                cancellation.ThrowIfCancellationRequested();
                if (task.Forward(slice, Rng.Derive(settings.Seed, ((ulong)epoch << 32) | (uint)batch)) is not { } loss) continue;
                divergence.Check(loss, epoch, batch, rate);
                lossSum += loss;
                steps++;
                task.Backward();
                foreach (var g in groups)
                {
                    if (settings.GradientClipNorm > 0) GradientClipping.ClipByGlobalNorm(g.Gradients, settings.GradientClipNorm);
                    g.Optimizer.Step(g.Parameters, g.Gradients, rate);
                }
                average?.Update();
            }

            double? vLoss = null, vMetric = null;
            if (best is not null)
            {
                average?.Swap();
                (double vl, vMetric) = task.Validate();
                vLoss = vl;
                if (vl < bestLoss)
                {
                    (bestLoss, bestEpoch, sinceBest) = (vl, epoch, 0);
                    for (int g = 0; g < groups.Count; g++) best[g].CopyFrom(groups[g].Parameters);
                }
                else sinceBest++;
                average?.Swap();
            }
            else bestEpoch = epoch;

            double seconds = clock.Elapsed.TotalSeconds;
            var progress = new EpochProgress(epoch, settings.NumberOfEpochs, lossSum / steps, vLoss, vMetric, task.MetricName, rate,
                seconds, sequences / Math.Max(seconds, 1e-9));
            history.Add(progress);
            settings.Progress?.Invoke(progress);
            if (settings.EarlyStoppingPatience > 0 && sinceBest >= settings.EarlyStoppingPatience) { stoppedEarly = true; break; }
            rate = settings.Schedule.Next(epoch, vLoss ?? progress.TrainLoss, rate);
        }
        average?.Swap();   // keep the averaged weights
        if (best is not null && bestEpoch > 0)
            for (int g = 0; g < groups.Count; g++) groups[g].Parameters.CopyFrom(best[g]);
        return new TrainingResult(history, bestEpoch, stoppedEarly);
    }
}
