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

    /// <summary>
    /// An LSTM tagger: a label per step (part of speech, named-entity BIO tags, …). The label column is a key vector as long
    /// as the sequence; outputs Score (each step's class probabilities, steps × classes) and PredictedLabel (a key vector).
    /// Words (a vector of text) are read with their suffixes and shape, so words never seen in training are tagged by them.
    /// Evaluate with <see cref="LstmEvaluationCatalog.EvaluateTagging"/>.
    /// </summary>
    public static LstmTrainer LstmTagger(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        LstmOptions options) => Create(catalog, options, LstmTask.Tagging);

    /// <summary>An LSTM tagger with the most common settings: bidirectional, as taggers are.</summary>
    /// <param name="catalog">The multiclass classification trainers catalog.</param>
    /// <param name="labelColumnName">Key vector column: one label per step.</param>
    /// <param name="featureColumnName">Vector of text (words), of keys (tokens) or of Single (FeaturesPerStep per step).</param>
    /// <param name="featuresPerStep">Values per step of a Single feature vector.</param>
    /// <param name="hiddenSize">Hidden units per direction.</param>
    /// <param name="numberOfLayers">Stacked layers.</param>
    /// <param name="numberOfEpochs">Passes over the data.</param>
    public static LstmTrainer LstmTagger(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int featuresPerStep = 1,
        int hiddenSize = 64, int numberOfLayers = 1, int numberOfEpochs = 20)
        => Create(catalog, Options(labelColumnName, featureColumnName, featuresPerStep, hiddenSize, numberOfLayers, numberOfEpochs,
            bidirectional: true), LstmTask.Tagging);

    /// <summary>
    /// An LSTM trained with connectionist temporal classification (CTC): from float frames (<c>FeaturesPerStep</c> values per
    /// step) to a label sequence — a key vector — shorter than the frames and not aligned to them, as in handwriting and
    /// speech recognition. Class 0 of the network is the CTC blank (as in PyTorch and Keras); key k is class k. Outputs Score
    /// (each step's probabilities over the blank and the keys) and PredictedLabel (the decoded key vector; see
    /// <see cref="LstmOptions.BeamWidth"/>). Evaluate with <see cref="LstmEvaluationCatalog.EvaluateSequences"/>.
    /// </summary>
    public static LstmTrainer LstmCtc(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        LstmOptions options) => Create(catalog, options, LstmTask.Ctc);

    /// <summary>A CTC-trained LSTM with the most common settings: bidirectional, as recognisers are.</summary>
    /// <param name="catalog">The multiclass classification trainers catalog.</param>
    /// <param name="labelColumnName">Key vector column: the label sequence.</param>
    /// <param name="featureColumnName">Vector of Single: the frames, step after step.</param>
    /// <param name="featuresPerStep">Values per frame.</param>
    /// <param name="hiddenSize">Hidden units per direction.</param>
    /// <param name="numberOfLayers">Stacked layers.</param>
    /// <param name="numberOfEpochs">Passes over the data.</param>
    public static LstmTrainer LstmCtc(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int featuresPerStep = 1,
        int hiddenSize = 64, int numberOfLayers = 1, int numberOfEpochs = 20)
        => Create(catalog, Options(labelColumnName, featureColumnName, featuresPerStep, hiddenSize, numberOfLayers, numberOfEpochs,
            bidirectional: true), LstmTask.Ctc);

    private static LstmOptions Options(string label, string features, int perStep, int hidden, int layers, int epochs,
        bool bidirectional = false) => new()
        {
            LabelColumnName = label, FeatureColumnName = features, FeaturesPerStep = perStep,
            HiddenSize = hidden, NumberOfLayers = layers, NumberOfEpochs = epochs, Bidirectional = bidirectional,
        };

    private static LstmTrainer Create<TCatalog>(TCatalog catalog, LstmOptions options, LstmTask task) where TCatalog : class
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new LstmTrainer(HostEnvironments.FromCatalog(catalog), options, task);
    }
}
