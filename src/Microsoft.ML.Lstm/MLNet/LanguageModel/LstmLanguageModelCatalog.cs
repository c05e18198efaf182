using Microsoft.ML.Lstm;
using Microsoft.ML.Lstm.MLNet.Internals;

namespace Microsoft.ML;

/// <summary>
/// <c>mlContext.Transforms.Text.LstmLanguageModel</c>: an LSTM that learns the characters (or words) of a text column,
/// scores texts in bits per token, and generates text (see <see cref="LstmLanguageModelEstimator"/>).
/// </summary>
public static class LstmLanguageModelCatalog
{
    /// <summary>An LSTM language model with all settings (<see cref="LstmLanguageModelOptions"/>).</summary>
    public static LstmLanguageModelEstimator LstmLanguageModel(this TransformsCatalog.TextTransforms catalog,
        LstmLanguageModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LstmLanguageModelEstimator(HostEnvironments.FromCatalog(catalog), options.Clone());
    }

    /// <summary>An LSTM language model with the most common settings (the rest as in <see cref="LstmLanguageModelOptions"/>).</summary>
    /// <param name="catalog">The text transforms catalog.</param>
    /// <param name="inputColumnName">The text column, one document per row.</param>
    /// <param name="level">Characters or words.</param>
    /// <param name="hiddenSize">Hidden units per layer.</param>
    /// <param name="numberOfLayers">Stacked LSTM layers.</param>
    /// <param name="numberOfEpochs">Passes over the text.</param>
    /// <param name="seed">Seed; null uses the MLContext's.</param>
    public static LstmLanguageModelEstimator LstmLanguageModel(this TransformsCatalog.TextTransforms catalog,
        string inputColumnName = "Text", LstmTokenLevel level = LstmTokenLevel.Character, int hiddenSize = 256, int numberOfLayers = 2,
        int numberOfEpochs = 30, int? seed = null) =>
        catalog.LstmLanguageModel(new LstmLanguageModelOptions
        {
            InputColumnName = inputColumnName, Level = level, HiddenSize = hiddenSize, NumberOfLayers = numberOfLayers,
            NumberOfEpochs = numberOfEpochs, Seed = seed,
        });
}
