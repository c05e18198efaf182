namespace Microsoft.ML.Lstm;

/// <summary>The optimizer an LSTM trainer updates its weights with (<see cref="LstmOptions.Optimizer"/>).</summary>
public enum LstmOptimizer
{
    /// <summary>
    /// Adam (β₁ 0.9, β₂ 0.999, ε 1e-8, as PyTorch); with <see cref="LstmOptions.WeightDecay"/> &gt; 0 the decay is
    /// decoupled (AdamW).
    /// </summary>
    Adam,

    /// <summary>
    /// Stochastic gradient descent with optional <see cref="LstmOptions.Momentum"/>; weight decay adds the L2
    /// term to the gradient.
    /// </summary>
    Sgd,

    /// <summary>
    /// RMSprop (smoothing 0.99, ε 1e-8, as PyTorch) with optional <see cref="LstmOptions.Momentum"/>; weight
    /// decay adds the L2 term to the gradient.
    /// </summary>
    RmsProp,
}
