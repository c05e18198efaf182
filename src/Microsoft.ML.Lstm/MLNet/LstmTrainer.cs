using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Kernels;
using Microsoft.ML.Lstm.MLNet.Internals;
using Microsoft.ML.Lstm.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Trains an LSTM on one sequence per row (see <see cref="LstmOptions"/>) for regression, binary or multiclass
/// classification, tagging (a label per step) or unaligned labelling (CTC). Create it through the catalogs:
/// <c>mlContext.Regression.Trainers.Lstm</c>, <c>mlContext.BinaryClassification.Trainers.Lstm</c>,
/// <c>mlContext.MulticlassClassification.Trainers.Lstm</c>, <c>.LstmTagger</c> and <c>.LstmCtc</c>.
/// </summary>
public sealed class LstmTrainer : IEstimator<LstmTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly LstmOptions _options;

    internal LstmTrainer(IHostEnvironment env, LstmOptions options, LstmTask task)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        if (string.IsNullOrWhiteSpace(options.LabelColumnName))   // a featurizer's options may leave it open; a trainer may not
            throw new ArgumentException("LabelColumnName must be set.", nameof(LstmOptions.LabelColumnName));
        if (task == LstmTask.Ctc && options.ShufflePoolSize is not null)
            throw new ArgumentException("The CTC trainer reads its rows into memory: leave ShufflePoolSize null.",
                nameof(LstmOptions.ShufflePoolSize));
        Task = task;
    }

    /// <summary>The task this trainer learns.</summary>
    public LstmTask Task { get; }

    /// <summary>Trains on <paramref name="input"/>; schema problems are reported before any training.</summary>
    public LstmTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new LstmTransformer(Train(_env, _options, Task, input));
    }

    /// <summary>
    /// Trains a network for <paramref name="task"/> on <paramref name="input"/> with <paramref name="o"/> (validated),
    /// label column <c>o.LabelColumnName</c>; shared by the trainers and the supervised featurizer.
    /// </summary>
    internal static LstmModelParameters Train(IHostEnvironment env, LstmOptions o, LstmTask task, IDataView input)
    {
        string label = o.LabelColumnName!;
        var inputKind = SchemaChecks.FeatureColumn(input.Schema, o.FeatureColumnName);
        int classes = SchemaChecks.LabelColumn(input.Schema, label, task);
        if (task == LstmTask.Ctc && !inputKind.IsFloat)
            throw new ArgumentException(
                $"Feature column '{o.FeatureColumnName}': CTC reads float frames (a vector of Single, FeaturesPerStep values per step).",
                nameof(input));
        bool keyed = task is LstmTask.MulticlassClassification or LstmTask.Tagging or LstmTask.Ctc;
        var names = keyed ? KeyValueAnnotations.Read(input.Schema[label]) : null;

        using var cancel = HostServices.Cancellation(env);
        var words = inputKind.IsText ? TrainingDataReader.Words(input, o.FeatureColumnName, cancel.ThrowIfCanceled) : null;
        var data = o.ShufflePoolSize is null ? TrainingDataReader.Read(input, o, task, inputKind, words, cancel.ThrowIfCanceled) : null;
        if (data is not null) LabelVariety.Require(data, task, label);
        int outputs = task switch
        {
            LstmTask.MulticlassClassification or LstmTask.Tagging => classes,
            LstmTask.Ctc => classes + 1,   // the blank, then the keys
            _ => 1,
        };
        var spec = LstmModelParameters.SpecFor(o, task, inputKind.KeyCount, words, outputs);
        ulong seed = HostServices.Seed(o.Seed, env);
        var net = new LstmNetwork<float>(spec, new ComputeContext<float>(o.NumberOfThreads));
        net.Initialize(seed);

        var loss = task switch
        {
            LstmTask.Regression => LossKind.MeanSquaredError,
            LstmTask.BinaryClassification => LossKind.SigmoidBinaryCrossEntropy,
            _ => LossKind.SoftmaxCrossEntropy,
        };
        var training = o.ToTrainingOptions(loss, seed);
        training.Progress = Progress(env, nameof(LstmTrainer), o, cancel, "");
        var stream = data is null
            ? StreamedTrainingData.Scan(input, o, task, inputKind, words, spec, loss, seed, cancel.ThrowIfCanceled)
            : null;
        HostServices.Info(env, nameof(LstmTrainer),
            $"training {task} LSTM on {data?.Count ?? stream!.Rows} sequences" +
            (stream is null ? "" : $" streamed through a shuffle pool of {o.ShufflePoolSize}") +
            $": {spec.NumberOfLayers} layer(s) × {spec.HiddenSize} " +
            $"hidden{(spec.Bidirectional ? ", bidirectional" : "")}, {net.Parameters.Count:N0} parameters" +
            (words is null ? "" : $", {words.VocabularySize:N0} word features"));
        var scale = stream is not null ? stream.Scale : task == LstmTask.Regression ? TargetScale.Of(data!) : (TargetScale?)null;
        if (data is not null) scale?.Standardize(data);
        var result = stream is not null ? TrainingLoop.TrainStreamed(net, stream, training, cancel.Token)
            : task == LstmTask.Ctc
            ? TrainingLoop.TrainCtc(net, [.. Enumerable.Range(0, data!.Count).Select(i => new CtcSequence(data[i].Features!,
                data[i].Classes!))], training, cancel.Token)
            : TrainingLoop.Train(net, data!, null, training, cancel.Token);
        scale?.FoldIntoHead(net);
        return new LstmModelParameters(task, TrainedOptions(o, seed), inputKind.KeyCount, net, names, [.. result.History], words);
    }

    /// <summary>
    /// The per-epoch callback of a training run: logs the epoch to <c>MLContext.Log</c> (after <paramref name="prefix"/>),
    /// calls the options' <see cref="LstmOptions.Progress"/>, and polls for cancellation, so a cancellation from the
    /// callback stops training before the next batch.
    /// </summary>
    internal static Action<EpochProgress> Progress(IHostEnvironment env, string source, LstmOptions o, HostCancellation cancel,
        string prefix) => p =>
    {
        HostServices.Info(env, source, prefix + p);
        o.Progress?.Invoke(p);
        cancel.Poll();
    };

    /// <summary>The options a trained model reports: a copy with the seed used and no callback.</summary>
    internal static LstmOptions TrainedOptions(LstmOptions options, ulong seed)
    {
        var trained = options.Clone();
        trained.Seed = (int)(uint)seed;
        trained.Progress = null;
        return trained;
    }

    /// <summary>Schema propagation: checks the columns and describes the output columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaChecks.FeatureColumn(inputSchema, _options.FeatureColumnName);
        SchemaChecks.LabelColumn(inputSchema, _options.LabelColumnName!, Task);
        return SchemaShapes.WithScoreColumns(inputSchema, Task, _options.LabelColumnName!);
    }
}
