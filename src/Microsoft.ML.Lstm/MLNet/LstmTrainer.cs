using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Kernels;
using Microsoft.ML.Lstm.MLNet.Internals;
using Microsoft.ML.Lstm.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Trains an LSTM on one sequence per row (see <see cref="LstmOptions"/>) for regression, binary or
/// multiclass classification. Create it through the catalogs: <c>mlContext.Regression.Trainers.Lstm</c>,
/// <c>mlContext.BinaryClassification.Trainers.Lstm</c>, <c>mlContext.MulticlassClassification.Trainers.Lstm</c>.
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
        Task = task;
    }

    /// <summary>The task this trainer learns.</summary>
    public LstmTask Task { get; }

    /// <summary>Trains on <paramref name="input"/>; schema problems are reported before any training.</summary>
    public LstmTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        int keyCount = SchemaChecks.FeatureColumn(input.Schema, o.FeatureColumnName);
        int classes = SchemaChecks.LabelColumn(input.Schema, o.LabelColumnName, Task);
        var names = Task == LstmTask.MulticlassClassification ? KeyValueAnnotations.Read(input.Schema[o.LabelColumnName]) : null;

        using var cancel = HostServices.Cancellation(_env);
        var data = TrainingDataReader.Read(input, o, Task, keyCount, cancel.ThrowIfCanceled);
        var spec = LstmModelParameters.SpecFor(o, keyCount, Task == LstmTask.MulticlassClassification ? classes : 1);
        ulong seed = HostServices.Seed(o.Seed, _env);
        var net = new LstmNetwork<float>(spec, new ComputeContext<float>(o.NumberOfThreads));
        net.Initialize(seed);

        var loss = Task switch
        {
            LstmTask.Regression => LossKind.MeanSquaredError,
            LstmTask.BinaryClassification => LossKind.SigmoidBinaryCrossEntropy,
            _ => LossKind.SoftmaxCrossEntropy,
        };
        var training = o.ToTrainingOptions(loss, seed);
        training.Progress = p =>
        {
            HostServices.Info(_env, nameof(LstmTrainer), p.ToString());
            o.Progress?.Invoke(p);
            cancel.Poll();   // a cancellation from the progress callback stops training before the next batch
        };
        HostServices.Info(_env, nameof(LstmTrainer),
            $"training {Task} LSTM on {data.Count} sequences: {spec.NumberOfLayers} layer(s) × {spec.HiddenSize} " +
            $"hidden{(spec.Bidirectional ? ", bidirectional" : "")}, {net.Parameters.Count:N0} parameters");
        var result = TrainingLoop.Train(net, data, null, training, cancel.Token);
        return new LstmTransformer(
            new LstmModelParameters(Task, TrainedOptions(o, seed), keyCount, net, names, [.. result.History]));
    }

    private static LstmOptions TrainedOptions(LstmOptions options, ulong seed)
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
        SchemaChecks.LabelColumn(inputSchema, _options.LabelColumnName, Task);
        return SchemaShapes.WithScoreColumns(inputSchema, Task, _options.LabelColumnName);
    }
}
