namespace Microsoft.ML.Lstm.Core;

/// <summary>The optimizers <see cref="Optimizers.Create{T}"/> can build.</summary>
internal enum OptimizerKind
{
    /// <summary>Adam (AdamW when <see cref="OptimizerOptions.WeightDecay"/> &gt; 0); see <see cref="Adam{T}"/>.</summary>
    Adam,

    /// <summary>Stochastic gradient descent with optional (Nesterov) momentum; see <see cref="Sgd{T}"/>.</summary>
    Sgd,

    /// <summary>RMSprop with optional momentum; see <see cref="RmsProp{T}"/>.</summary>
    RmsProp,
}
