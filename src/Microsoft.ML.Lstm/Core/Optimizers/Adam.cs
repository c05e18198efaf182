using System.Numerics;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// Adam with bias correction, and AdamW's decoupled weight decay when <c>weightDecay</c> &gt; 0, exactly as
/// PyTorch's <c>torch.optim.AdamW</c> (and <c>Adam</c> when the decay is 0). For step t = 1, 2, …:
/// <code>
///   p ← p − lr·wd·p
///   m ← β1·m + (1 − β1)·g
///   v ← β2·v + (1 − β2)·g²
///   p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
/// </code>
/// The bias corrections are computed in double; the moments are kept in <typeparamref name="T"/>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class Adam<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double _beta1, _beta2, _epsilon, _weightDecay;
    private T[]? _m, _v;
    private long _step;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="beta1">Decay rate of the first moment, in [0, 1).</param>
    /// <param name="beta2">Decay rate of the second moment, in [0, 1).</param>
    /// <param name="epsilon">Denominator term, finite and &gt; 0.</param>
    /// <param name="weightDecay">Decoupled weight decay, finite and ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public Adam(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
    {
        OptimizerChecks.Fraction(beta1, nameof(beta1));
        OptimizerChecks.Fraction(beta2, nameof(beta2));
        OptimizerChecks.Positive(epsilon, nameof(epsilon));
        OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay));
        (_beta1, _beta2, _epsilon, _weightDecay) = (beta1, beta2, epsilon, weightDecay);
    }

    /// <summary>Number of steps taken since creation or the last <see cref="Reset"/>.</summary>
    public long StepCount => _step;

    /// <inheritdoc/>
    public void Step(ParameterSet<T> parameters, ParameterSet<T> gradients, double learningRate)
    {
        OptimizerChecks.Step(parameters, gradients, learningRate, _m?.Length ?? -1);
        _m ??= new T[parameters.Count];
        _v ??= new T[parameters.Count];
        _step++;

        double biasCorrection1 = 1 - Math.Pow(_beta1, _step), biasCorrection2 = 1 - Math.Pow(_beta2, _step);
        T b1 = T.CreateChecked(_beta1), oneMinusB1 = T.CreateChecked(1 - _beta1);
        T b2 = T.CreateChecked(_beta2), oneMinusB2 = T.CreateChecked(1 - _beta2);
        T stepSize = T.CreateChecked(learningRate / biasCorrection1);
        T sqrtBiasCorrection2 = T.CreateChecked(Math.Sqrt(biasCorrection2));
        T eps = T.CreateChecked(_epsilon);
        bool decay = _weightDecay != 0;
        T decayFactor = T.CreateChecked(1 - learningRate * _weightDecay);

        Span<T> p = parameters.Values, m = _m, v = _v;
        ReadOnlySpan<T> g = gradients.Values;
        int i = 0;
        if (Vector.IsHardwareAccelerated && p.Length >= Vector<T>.Count)
        {
            // The same operations in the same order as the scalar loop below, a vector at a time: same bits.
            var vp = MemoryMarshal.Cast<T, Vector<T>>(p);
            var vm = MemoryMarshal.Cast<T, Vector<T>>(m);
            var vv = MemoryMarshal.Cast<T, Vector<T>>(v);
            var vg = MemoryMarshal.Cast<T, Vector<T>>(g);
            Vector<T> vb1 = new(b1), v1b1 = new(oneMinusB1), vb2 = new(b2), v1b2 = new(oneMinusB2);
            Vector<T> vStep = new(stepSize), vSqrtBc2 = new(sqrtBiasCorrection2), vEps = new(eps), vDecay = new(decayFactor);
            for (int k = 0; k < vp.Length; k++)
            {
                if (decay) vp[k] *= vDecay;
                var gk = vg[k];
                vm[k] = vb1 * vm[k] + v1b1 * gk;
                vv[k] = vb2 * vv[k] + v1b2 * gk * gk;
                vp[k] -= vStep * vm[k] / (Vector.SquareRoot(vv[k]) / vSqrtBc2 + vEps);
            }
            i = vp.Length * Vector<T>.Count;
        }
        for (; i < p.Length; i++)
        {
            if (decay) p[i] *= decayFactor;
            T gi = g[i];
            m[i] = b1 * m[i] + oneMinusB1 * gi;
            v[i] = b2 * v[i] + oneMinusB2 * gi * gi;
            p[i] -= stepSize * m[i] / (T.Sqrt(v[i]) / sqrtBiasCorrection2 + eps);
        }
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _m = _v = null;
        _step = 0;
    }
}
