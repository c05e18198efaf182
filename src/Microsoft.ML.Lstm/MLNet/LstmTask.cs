namespace Microsoft.ML.Lstm;

/// <summary>What an LSTM trainer learns; decides label type, loss and output columns.</summary>
public enum LstmTask
{
    /// <summary>
    /// Float label; output Score (MSE loss). Labels of any offset and scale train alike: they are standardized for training
    /// and the scale is folded back into the output layer, so Score is in the label's units (the losses in the training
    /// history are those of the standardized label).
    /// </summary>
    Regression,

    /// <summary>Boolean label; outputs Score (logit), Probability, PredictedLabel (sigmoid cross-entropy).</summary>
    BinaryClassification,

    /// <summary>Key label; outputs Score (class probabilities) and PredictedLabel (key) (softmax cross-entropy).</summary>
    MulticlassClassification,

    /// <summary>
    /// A label per step: a key vector as long as the sequence; outputs Score (each step's class probabilities, steps ×
    /// classes) and PredictedLabel (a key vector, one key per step) (softmax cross-entropy at every step).
    /// </summary>
    Tagging,

    /// <summary>
    /// Unaligned labelling: a key vector shorter than the sequence and not aligned to it (connectionist temporal
    /// classification, Graves et al. 2006); outputs Score (each step's probabilities over the blank, first, and the classes:
    /// steps × (classes + 1)) and PredictedLabel (the decoded key vector) (CTC loss).
    /// </summary>
    Ctc,
}
