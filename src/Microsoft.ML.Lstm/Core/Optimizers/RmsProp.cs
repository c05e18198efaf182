using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// RMSprop (not centered) with optional momentum and L2 weight decay, exactly as PyTorch's
/// <c>torch.optim.RMSprop</c>:
/// <code>
///   d ← g + wd·p
///   s ← α·s + (1 − α)·d²
///   u ← d / (√s + ε)
///   b ← μ·b + u;  u ← b        (when μ &gt; 0)
///   p ← p − lr·u
/// </code>
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class RmsProp<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double _alpha, _epsilon, _momentum, _weightDecay;
    private T[]? _square, _buffer;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="alpha">Smoothing constant α of the squared-gradient average, in [0, 1).</param>
    /// <param name="epsilon">Denominator term, finite and &gt; 0.</param>
    /// <param name="momentum">Momentum factor μ, in [0, 1); 0 disables momentum.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient, finite and ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public RmsProp(double alpha = 0.99, double epsilon = 1e-8, double momentum = 0, double weightDecay = 0)
    {
        OptimizerChecks.Fraction(alpha, nameof(alpha));
        OptimizerChecks.Positive(epsilon, nameof(epsilon));
        OptimizerChecks.Fraction(momentum, nameof(momentum));
        OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay));
        (_alpha, _epsilon, _momentum, _weightDecay) = (alpha, epsilon, momentum, weightDecay);
    }

    /// <inheritdoc/>
    public void Step(ParameterSet<T> parameters, ParameterSet<T> gradients, double learningRate)
    {
        OptimizerChecks.Step(parameters, gradients, learningRate, _square?.Length ?? -1);
        bool useMomentum = _momentum != 0;
        _square ??= new T[parameters.Count];
        if (useMomentum) _buffer ??= new T[parameters.Count];

        T lr = T.CreateChecked(learningRate), wd = T.CreateChecked(_weightDecay), mu = T.CreateChecked(_momentum);
        T alpha = T.CreateChecked(_alpha), oneMinusAlpha = T.CreateChecked(1 - _alpha), eps = T.CreateChecked(_epsilon);
        bool decay = _weightDecay != 0;
        Span<T> p = parameters.Values, s = _square, b = _buffer;
        ReadOnlySpan<T> g = gradients.Values;
        for (int i = 0; i < p.Length; i++)
        {
            T d = g[i];
            if (decay) d += wd * p[i];
            s[i] = alpha * s[i] + oneMinusAlpha * d * d;
            T u = d / (T.Sqrt(s[i]) + eps);
            if (useMomentum)
            {
                b[i] = mu * b[i] + u;
                u = b[i];
            }
            p[i] -= lr * u;
        }
    }

    /// <inheritdoc/>
    public void Reset() => _square = _buffer = null;
}
