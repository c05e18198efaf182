using Microsoft.ML.Lstm.MLNet.Internals;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Trains an LSTM language model on a text column (see <see cref="LstmLanguageModelOptions"/>) and returns it as a
/// <see cref="LstmLanguageModelTransformer"/>. Create it through <c>mlContext.Transforms.Text.LstmLanguageModel</c>.
/// </summary>
public sealed class LstmLanguageModelEstimator : IEstimator<LstmLanguageModelTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly LstmLanguageModelOptions _options;

    internal LstmLanguageModelEstimator(IHostEnvironment env, LstmLanguageModelOptions options)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
    }

    /// <summary>Trains on the texts of <paramref name="input"/>; schema and row problems are reported before any training.</summary>
    public LstmLanguageModelTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return LanguageModelTrainer.Train(_env, _options, input);
    }

    /// <summary>Schema propagation: checks the text column and adds the bits-per-token column.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        TextColumn.Check(inputSchema, _options.InputColumnName);
        return SchemaShapes.WithSingleColumn(inputSchema, _options.OutputColumnName);
    }
}
