namespace Microsoft.ML.Lstm;

/// <summary>What an LSTM trainer learns; decides label type, loss and output columns.</summary>
public enum LstmTask
{
    /// <summary>Float label; output Score (MSE loss).</summary>
    Regression,

    /// <summary>Boolean label; outputs Score (logit), Probability, PredictedLabel (sigmoid cross-entropy).</summary>
    BinaryClassification,

    /// <summary>Key label; outputs Score (class probabilities) and PredictedLabel (key) (softmax cross-entropy).</summary>
    MulticlassClassification,
}
