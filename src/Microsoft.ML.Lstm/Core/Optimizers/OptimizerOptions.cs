namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// Hyperparameters of an optimizer, with PyTorch's defaults. Fields that do not apply to the chosen
/// <see cref="Kind"/> are ignored, except that <see cref="Momentum"/> and <see cref="Nesterov"/> are
/// rejected by <see cref="Validate"/> when they cannot be honored.
/// </summary>
internal sealed class OptimizerOptions
{
    /// <summary>Which optimizer to build. Default <see cref="OptimizerKind.Adam"/>.</summary>
    public OptimizerKind Kind { get; set; } = OptimizerKind.Adam;

    /// <summary>Adam's decay rate of the first-moment estimate, in [0, 1). Default 0.9.</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>Adam's decay rate of the second-moment estimate, in [0, 1). Default 0.999.</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>Term added to the denominator of Adam and RMSprop for numerical stability, &gt; 0. Default 1e-8.</summary>
    public double Epsilon { get; set; } = 1e-8;

    /// <summary>
    /// Weight decay, ≥ 0. Default 0. Adam applies it decoupled (AdamW: p ← p − lr·wd·p); SGD and
    /// RMSprop add the classic L2 term wd·p to the gradient, as PyTorch does.
    /// </summary>
    public double WeightDecay { get; set; }

    /// <summary>Momentum factor of SGD and RMSprop, in [0, 1). Default 0. Must be 0 for Adam (use <see cref="Beta1"/>).</summary>
    public double Momentum { get; set; }

    /// <summary>Use Nesterov momentum (SGD only; needs <see cref="Momentum"/> &gt; 0). Default false.</summary>
    public bool Nesterov { get; set; }

    /// <summary>RMSprop's smoothing constant of the squared-gradient average, in [0, 1). Default 0.99.</summary>
    public double RmsAlpha { get; set; } = 0.99;

    /// <summary>Checks every hyperparameter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range; the parameter name is the property's name.</exception>
    /// <exception cref="ArgumentException"><see cref="Momentum"/> or
    /// <see cref="Nesterov"/> is set for an optimizer that does not use it.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown optimizer kind.");
        OptimizerChecks.Fraction(Beta1, nameof(Beta1));
        OptimizerChecks.Fraction(Beta2, nameof(Beta2));
        OptimizerChecks.Positive(Epsilon, nameof(Epsilon));
        OptimizerChecks.NonNegative(WeightDecay, nameof(WeightDecay));
        OptimizerChecks.Fraction(Momentum, nameof(Momentum));
        OptimizerChecks.Fraction(RmsAlpha, nameof(RmsAlpha));
        if (Kind == OptimizerKind.Adam && Momentum != 0)
            throw new ArgumentException("Momentum does not apply to Adam; its momentum is Beta1.", nameof(Momentum));
        if (Nesterov && Kind != OptimizerKind.Sgd)
            throw new ArgumentException($"Nesterov momentum applies only to {nameof(OptimizerKind.Sgd)}, not {Kind}.", nameof(Nesterov));
        OptimizerChecks.NesterovNeedsMomentum(Nesterov, Momentum, nameof(Nesterov));
    }
}
