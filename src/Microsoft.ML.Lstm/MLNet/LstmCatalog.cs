using Microsoft.ML.Lstm;
using Microsoft.ML.Lstm.MLNet.Internals;

namespace Microsoft.ML;

/// <summary>
/// Catalog entry points for LSTM trainers: <c>mlContext.Regression.Trainers.Lstm</c>,
/// <c>mlContext.BinaryClassification.Trainers.Lstm</c> and <c>mlContext.MulticlassClassification.Trainers.Lstm</c>.
/// </summary>
public static class LstmCatalog
{
    /// <summary>An LSTM regression trainer (Single label; output Score).</summary>
    public static LstmTrainer Lstm(this RegressionCatalog.RegressionTrainers catalog, LstmOptions options) =>
        Create(catalog, options, LstmTask.Regression);

    /// <summary>An LSTM regression trainer with the most common settings.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">Single label column.</param>
    /// <param name="featureColumnName">Vector column holding one sequence per row, flattened time-major.</param>
    /// <param name="featuresPerStep">Values per time step.</param>
    /// <param name="hiddenSize">Hidden units.</param>
    /// <param name="numberOfLayers">Stacked layers.</param>
    /// <param name="numberOfEpochs">Passes over the data.</param>
    public static LstmTrainer Lstm(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", int featuresPerStep = 1,
        int hiddenSize = 64, int numberOfLayers = 1, int numberOfEpochs = 20) =>
        Create(catalog, Options(labelColumnName, featureColumnName, featuresPerStep, hiddenSize, numberOfLayers, numberOfEpochs),
            LstmTask.Regression);

    /// <summary>An LSTM binary classifier (Boolean label; outputs Score, Probability, PredictedLabel).</summary>
    public static LstmTrainer Lstm(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, LstmOptions options) =>
        Create(catalog, options, LstmTask.BinaryClassification);

    /// <summary>An LSTM binary classifier with the most common settings.</summary>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="labelColumnName">Boolean label column.</param>
    /// <param name="featureColumnName">Vector column holding one sequence per row, flattened time-major.</param>
    /// <param name="featuresPerStep">Values per time step.</param>
    /// <param name="hiddenSize">Hidden units.</param>
    /// <param name="numberOfLayers">Stacked layers.</param>
    /// <param name="numberOfEpochs">Passes over the data.</param>
    public static LstmTrainer Lstm(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", int featuresPerStep = 1,
        int hiddenSize = 64, int numberOfLayers = 1, int numberOfEpochs = 20) =>
        Create(catalog, Options(labelColumnName, featureColumnName, featuresPerStep, hiddenSize, numberOfLayers, numberOfEpochs),
            LstmTask.BinaryClassification);

    /// <summary>An LSTM multiclass classifier (key label; outputs Score per class and PredictedLabel).</summary>
    public static LstmTrainer Lstm(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, LstmOptions options) =>
        Create(catalog, options, LstmTask.MulticlassClassification);

    /// <summary>An LSTM multiclass classifier with the most common settings.</summary>
    /// <param name="catalog">The multiclass classification trainers catalog.</param>
    /// <param name="labelColumnName">Key-typed label column (see <c>Conversion.MapValueToKey</c>).</param>
    /// <param name="featureColumnName">Vector column holding one sequence per row, flattened time-major.</param>
    /// <param name="featuresPerStep">Values per time step.</param>
    /// <param name="hiddenSize">Hidden units.</param>
    /// <param name="numberOfLayers">Stacked layers.</param>
    /// <param name="numberOfEpochs">Passes over the data.</param>
    public static LstmTrainer Lstm(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label",
        string featureColumnName = "Features", int featuresPerStep = 1,
        int hiddenSize = 64, int numberOfLayers = 1, int numberOfEpochs = 20) =>
        Create(catalog, Options(labelColumnName, featureColumnName, featuresPerStep, hiddenSize, numberOfLayers, numberOfEpochs),
            LstmTask.MulticlassClassification);

    private static LstmOptions Options(string label, string features, int perStep, int hidden, int layers, int epochs) => new()
    {
        LabelColumnName = label, FeatureColumnName = features, FeaturesPerStep = perStep,
        HiddenSize = hidden, NumberOfLayers = layers, NumberOfEpochs = epochs,
    };

    private static LstmTrainer Create<TCatalog>(TCatalog catalog, LstmOptions options, LstmTask task) where TCatalog : class
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new LstmTrainer(HostEnvironments.FromCatalog(catalog), options, task);
    }
}
