namespace Microsoft.ML.Lstm;

/// <summary>
/// How a sequence model turns the LSTM's outputs at every step into the one vector its prediction is made from (Keras:
/// the last state, <c>GlobalAveragePooling1D</c>, <c>GlobalMaxPooling1D</c> or an attention layer after
/// <c>return_sequences=True</c>). Padded steps of shorter sequences never contribute.
/// </summary>
public enum LstmPooling
{
    /// <summary>
    /// The final hidden state: after the last step and, when bidirectional, the reverse direction's after the first.
    /// Everything the prediction needs must survive to the end of the sequence.
    /// </summary>
    Last,

    /// <summary>The mean of the top layer's outputs over the steps: evidence spread over the whole sequence.</summary>
    Mean,

    /// <summary>The element-wise maximum over the steps: a pattern that matters wherever it occurs.</summary>
    Max,

    /// <summary>
    /// Additive attention (Bahdanau et al. 2015): a learned score per step, softmax-normalized over the steps, weights
    /// the outputs; it learns which steps matter (adds HiddenSize × (outputs + 2) weights).
    /// </summary>
    Attention,
}
