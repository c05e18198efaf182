using Microsoft.ML.Lstm.MLNet.Internals;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Learns an LSTM encoder and outputs, per row, the encoding of its sequence as a Single vector (see
/// <see cref="LstmFeaturizerTransformer"/>), for other trainers to learn from. Create it through
/// <c>mlContext.Transforms.LstmFeaturizer</c>: with a label column the encoder is trained as the trainer for that label
/// type trains it (Single: regression, Boolean: binary, key: multiclass) and the head is dropped; without one it learns
/// to predict each next token or step of the sequences (self-supervised; with Bidirectional also each previous one, in
/// a second network); from an already trained
/// <see cref="LstmTransformer"/> nothing is trained.
/// </summary>
public sealed class LstmFeaturizerEstimator : IEstimator<LstmFeaturizerTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly LstmFeaturizerOptions _options;
    private readonly LstmModelParameters? _trained;

    internal LstmFeaturizerEstimator(IHostEnvironment env, LstmFeaturizerOptions options, LstmModelParameters? trained = null)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        _trained = trained;
    }

    /// <summary>Trains the encoder on <paramref name="input"/> (or takes the trained one); schema problems come first.</summary>
    public LstmFeaturizerTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        if (_trained is not null)
        {
            SchemaChecks.FeatureColumn(input.Schema, o.FeatureColumnName, _trained.Input);
            return new LstmFeaturizerTransformer(_trained, o.OutputColumnName, o.FeatureColumnName);
        }
        if (o.LabelColumnName is null)
        {
            var (forward, backward) = SelfSupervisedEncoder.Train(_env, o, input);
            return new LstmFeaturizerTransformer(forward, o.OutputColumnName, o.FeatureColumnName, backward);
        }
        var task = SchemaChecks.TaskOf(input.Schema, o.LabelColumnName);
        var model = LstmTrainer.Train(_env, o, task, input);
        return new LstmFeaturizerTransformer(model, o.OutputColumnName, o.FeatureColumnName);
    }

    /// <summary>Schema propagation: checks the input (and label) column and adds the encoding column.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaChecks.FeatureColumn(inputSchema, _options.FeatureColumnName);
        if (_trained is null && _options.LabelColumnName is { } label && !SchemaChecks.TryFind(inputSchema, label, out _))
            throw new ArgumentException($"Label column '{label}' not found in the input schema.", nameof(inputSchema));
        return SchemaShapes.WithVectorColumns(inputSchema, [_options.OutputColumnName]);
    }
}
