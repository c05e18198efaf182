using Microsoft.ML.Lstm;
using Microsoft.ML.Lstm.MLNet.Internals;

namespace Microsoft.ML;

/// <summary>
/// <c>mlContext.Transforms.LstmFeaturizer</c>: an LSTM encoder as a pipeline step, whose fixed-size output any ML.NET
/// trainer can learn from (see <see cref="LstmFeaturizerEstimator"/>).
/// </summary>
public static class LstmFeaturizerCatalog
{
    /// <summary>An LSTM featurizer with all settings (<see cref="LstmFeaturizerOptions"/>).</summary>
    public static LstmFeaturizerEstimator LstmFeaturizer(this TransformsCatalog catalog, LstmFeaturizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LstmFeaturizerEstimator(HostEnvironments.FromCatalog(catalog), (LstmFeaturizerOptions)options.Clone());
    }

    /// <summary>An LSTM featurizer with the most common settings.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The encoding column to add (Single vector).</param>
    /// <param name="inputColumnName">The sequence column: a float vector (<paramref name="featuresPerStep"/> values per step)
    /// or a key vector of tokens. Null: <paramref name="outputColumnName"/>.</param>
    /// <param name="labelColumnName">The label the encoder learns from: Single, Boolean or key.</param>
    /// <param name="featuresPerStep">Values per step of a float sequence.</param>
    /// <param name="hiddenSize">Hidden units per direction.</param>
    /// <param name="bidirectional">Read each sequence both ways (the encoding is then twice as long).</param>
    /// <param name="pooling">How the encoding sums up the steps.</param>
    /// <param name="numberOfEpochs">Passes over the data.</param>
    public static LstmFeaturizerEstimator LstmFeaturizer(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName = null, string? labelColumnName = null, int featuresPerStep = 1, int hiddenSize = 64,
        bool bidirectional = false, LstmPooling pooling = LstmPooling.Last, int numberOfEpochs = 20) =>
        catalog.LstmFeaturizer(new LstmFeaturizerOptions
        {
            OutputColumnName = outputColumnName, FeatureColumnName = inputColumnName ?? outputColumnName,
            LabelColumnName = labelColumnName, FeaturesPerStep = featuresPerStep, HiddenSize = hiddenSize,
            Bidirectional = bidirectional, Pooling = pooling, NumberOfEpochs = numberOfEpochs,
        });

    /// <summary>
    /// Featurizes with the encoder of an already trained LSTM (its head is dropped; nothing is trained): the same
    /// sequences it scores, read from <paramref name="inputColumnName"/> (null: the column it was trained on).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The encoding column to add (Single vector).</param>
    /// <param name="trainedModel">A trained LSTM scorer (from <c>Trainers.Lstm(...).Fit</c> or <c>Model.Load</c>).</param>
    /// <param name="inputColumnName">The sequence column; null: the one <paramref name="trainedModel"/> reads.</param>
    /// <exception cref="ArgumentException">A tagger or CTC model: it has no one encoding per sequence.</exception>
    public static LstmFeaturizerEstimator LstmFeaturizer(this TransformsCatalog catalog, string outputColumnName,
        LstmTransformer trainedModel, string? inputColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(trainedModel);
        var trained = trainedModel.Model;
        if (trained.Task is LstmTask.Tagging or LstmTask.Ctc)
            throw new ArgumentException(
                $"A {trained.Task} model reads out every step, so it has no one encoding per sequence to featurize with: train a " +
                "regression or classification LSTM, or a featurizer, instead.", nameof(trainedModel));
        var options = new LstmFeaturizerOptions
        {
            OutputColumnName = outputColumnName, FeatureColumnName = inputColumnName ?? trained.FeatureColumnName,
        };
        return new LstmFeaturizerEstimator(HostEnvironments.FromCatalog(catalog), options, trained);
    }
}
