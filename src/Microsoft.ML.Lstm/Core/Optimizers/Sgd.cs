using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// Stochastic gradient descent with optional momentum (dampening 0), Nesterov momentum and L2 weight
/// decay, exactly as PyTorch's <c>torch.optim.SGD</c>:
/// <code>
///   d ← g + wd·p
///   b ← μ·b + d                  (b starts at 0, so the first step sets b = d, as in PyTorch)
///   d ← nesterov ? d + μ·b : b   (when μ &gt; 0)
///   p ← p − lr·d
/// </code>
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class Sgd<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double _momentum, _weightDecay;
    private readonly bool _nesterov;
    private T[]? _buffer;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="momentum">Momentum factor μ, in [0, 1); 0 disables momentum.</param>
    /// <param name="nesterov">Use Nesterov momentum; needs <paramref name="momentum"/> &gt; 0.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient, finite and ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="nesterov"/> is set without momentum.</exception>
    public Sgd(double momentum = 0, bool nesterov = false, double weightDecay = 0)
    {
        OptimizerChecks.Fraction(momentum, nameof(momentum));
        OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay));
        OptimizerChecks.NesterovNeedsMomentum(nesterov, momentum, nameof(nesterov));
        (_momentum, _nesterov, _weightDecay) = (momentum, nesterov, weightDecay);
    }

    /// <inheritdoc/>
    public void Step(ParameterSet<T> parameters, ParameterSet<T> gradients, double learningRate)
    {
        OptimizerChecks.Step(parameters, gradients, learningRate, _buffer?.Length ?? -1);
        bool useMomentum = _momentum != 0;
        if (useMomentum) _buffer ??= new T[parameters.Count];

        T lr = T.CreateChecked(learningRate), wd = T.CreateChecked(_weightDecay), mu = T.CreateChecked(_momentum);
        bool decay = _weightDecay != 0;
        Span<T> p = parameters.Values, b = _buffer;
        ReadOnlySpan<T> g = gradients.Values;
        for (int i = 0; i < p.Length; i++)
        {
            T d = g[i];
            if (decay) d += wd * p[i];
            if (useMomentum)
            {
                b[i] = mu * b[i] + d;
                d = _nesterov ? d + mu * b[i] : b[i];
            }
            p[i] -= lr * d;
        }
    }

    /// <inheritdoc/>
    public void Reset() => _buffer = null;
}
