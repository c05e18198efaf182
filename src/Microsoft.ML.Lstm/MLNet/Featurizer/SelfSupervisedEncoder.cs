using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Kernels;
using Microsoft.ML.Lstm.MLNet.Internals;
using Microsoft.ML.Lstm.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Learns an encoder without a label: a unidirectional LSTM with a per-step head learns to predict each next step of the
/// sequence — the next token (softmax over the tokens that occur in the training rows, not over the whole key range:
/// character keys span 65,536 values) for a key vector, the next step's values (squared error) for a float sequence —
/// and the head is then dropped. The encoding is the many-to-one view of the same
/// layers: the final hidden state, or the mean or maximum of the outputs (<see cref="LstmOptions.Pooling"/>). With
/// Bidirectional, a second model learns the sequences read backwards and its encoding of the reversed sequence follows
/// the first's. A sequence of one step has nothing to predict and is skipped.
/// </summary>
internal static class SelfSupervisedEncoder
{
    /// <summary>
    /// Trains on <paramref name="input"/>; returns the encoder as a model (task Regression, head of zeros) and, when
    /// <see cref="LstmOptions.Bidirectional"/> is set, a second one that learned the sequences read backwards (as ELMo
    /// does: two separate stacks, since a reverse direction inside one stack would see the step it is to predict).
    /// </summary>
    /// <exception cref="ArgumentException">Attention pooling (nothing trains its weights without a label) or data with no
    /// sequence of two steps; the message says what to do.</exception>
    public static (LstmModelParameters Forward, LstmModelParameters? Backward) Train(IHostEnvironment env, LstmFeaturizerOptions o,
        IDataView input)
    {
        if (o.Pooling == LstmPooling.Attention)
            throw new ArgumentException(
                "Attention pooling learns its weights from a label: without one use Last, Mean or Max, or give a LabelColumnName.",
                nameof(LstmOptions.Pooling));
        var kind = SchemaChecks.FeatureColumn(input.Schema, o.FeatureColumnName);
        if (kind.IsText)
            throw new ArgumentException(
                $"Feature column '{o.FeatureColumnName}' holds words: without a label the featurizer learns from key vectors or " +
                "floats. Map the words to keys (mlContext.Transforms.Conversion.MapValueToKey) or give a LabelColumnName.", "input");
        if (o.ShufflePoolSize is not null)
            throw new ArgumentException(
                "Without a label the featurizer reads its rows into memory: leave ShufflePoolSize null, or give a LabelColumnName.",
                nameof(LstmOptions.ShufflePoolSize));
        int keyCount = kind.KeyCount;
        using var cancel = HostServices.Cancellation(env);
        var sequences = TrainingDataReader.Read(input, o, task: null, kind, words: null, cancel.ThrowIfCanceled);
        ulong seed = HostServices.Seed(o.Seed, env);
        var oneWay = (LstmFeaturizerOptions)o.Clone();
        oneWay.Bidirectional = false;
        var forward = TrainOneWay(env, oneWay, sequences, keyCount, seed, cancel, "forwards");
        var backward = o.Bidirectional
            ? TrainOneWay(env, oneWay, Reversed(sequences), keyCount, Rng.Derive(seed, 0xBAC), cancel, "backwards")
            : null;
        return (forward, backward);
    }

    /// <summary>One unidirectional next-step model on <paramref name="sequences"/>, as an encoder.</summary>
    private static LstmModelParameters TrainOneWay(IHostEnvironment env, LstmFeaturizerOptions o, SequenceDataset sequences,
        int keyCount, ulong seed, HostCancellation cancel, string direction)
    {
        var (data, classes) = NextStepSamples(sequences, keyCount > 0);
        if (data.Count == 0)
            throw new ArgumentException(
                $"Every sequence in column '{o.FeatureColumnName}' has a single step: there is no next step to learn from. Give a " +
                "LabelColumnName.", "input");

        var encoderSpec = LstmModelParameters.SpecFor(o, LstmTask.Regression, keyCount, words: null, outputSize: 1);
        var spec = encoderSpec with
        {
            Head = HeadKind.ManyToMany,
            Pooling = PoolingKind.Last,
            OutputSize = keyCount > 0 ? classes : encoderSpec.InputSize,
        };
        var net = new LstmNetwork<float>(spec, new ComputeContext<float>(o.NumberOfThreads));
        net.Initialize(seed);
        var training = o.ToTrainingOptions(keyCount > 0 ? LossKind.SoftmaxCrossEntropy : LossKind.MeanSquaredError, seed);
        training.Progress = LstmTrainer.Progress(env, nameof(LstmFeaturizerEstimator), o, cancel, $"{direction}: ");
        HostServices.Info(env, nameof(LstmFeaturizerEstimator),
            $"learning an encoder without a label on {data.Count} sequences read {direction}: predicting each next " +
            $"{(keyCount > 0 ? "token" : "step")}, {spec.NumberOfLayers} layer(s) × {spec.HiddenSize} hidden");
        var result = TrainingLoop.Train(net, data, null, training, cancel.Token);

        var encoder = new LstmNetwork<float>(encoderSpec, new ComputeContext<float>(o.NumberOfThreads));
        foreach (var slot in encoder.Parameters.Slots)
            if (!slot.Name.StartsWith("head.", StringComparison.Ordinal))
                net.Parameters[slot.Name].CopyTo(encoder.Parameters.Values.AsSpan(slot.Offset, slot.Length));
        return new LstmModelParameters(LstmTask.Regression, LstmTrainer.TrainedOptions(o, seed), keyCount, encoder, null,
            [.. result.History]);
    }

    /// <summary>Every sequence with its steps in reverse order.</summary>
    private static SequenceDataset Reversed(SequenceDataset sequences)
    {
        int F = sequences.FeaturesPerStep;
        var samples = new SequenceSample[sequences.Count];
        for (int i = 0; i < samples.Length; i++)
        {
            var s = sequences[i];
            int n = sequences.Length(i);
            if (s.Tokens is not null) samples[i] = new SequenceSample { Tokens = [.. s.Tokens.Reverse()] };
            else
            {
                var x = new float[n * F];
                for (int t = 0; t < n; t++) s.Features.AsSpan((n - 1 - t) * F, F).CopyTo(x.AsSpan(t * F, F));
                samples[i] = new SequenceSample { Features = x };
            }
        }
        return new SequenceDataset(F, samples);
    }

    /// <summary>
    /// Per sequence of n ≥ 2 steps: the first n − 1 steps as input, steps 2 … n as the per-step targets (tokens as the
    /// index of their id among the distinct ids that occur as targets); returns the samples and the number of classes.
    /// </summary>
    private static (SequenceDataset Samples, int Classes) NextStepSamples(SequenceDataset sequences, bool tokens)
    {
        int F = sequences.FeaturesPerStep;
        var ids = new SortedSet<int>();
        for (int i = 0; i < sequences.Count && tokens; i++)
            if (sequences.Length(i) > 1) ids.UnionWith(sequences[i].Tokens![1..]);
        var classOf = ids.Select((id, k) => (id, k)).ToDictionary(p => p.id, p => p.k);
        var samples = new List<SequenceSample>(sequences.Count);
        for (int i = 0; i < sequences.Count; i++)
        {
            int n = sequences.Length(i);
            if (n < 2) continue;
            var s = sequences[i];
            samples.Add(tokens
                ? new SequenceSample { Tokens = s.Tokens![..(n - 1)], Classes = [.. s.Tokens[1..].Select(id => classOf[id])] }
                : new SequenceSample { Features = s.Features![..((n - 1) * F)], Target = s.Features[F..] });
        }
        return (new SequenceDataset(F, samples), Math.Max(1, ids.Count));
    }
}
