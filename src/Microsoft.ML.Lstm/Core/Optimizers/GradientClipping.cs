using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>Gradient clipping, as PyTorch's <c>torch.nn.utils.clip_grad_norm_</c> with the L2 norm.</summary>
internal static class GradientClipping
{
    /// <summary>
    /// Scales all gradients by maxNorm / ‖g‖ when their global L2 norm ‖g‖ exceeds
    /// <paramref name="maxNorm"/>, so the clipped norm is <paramref name="maxNorm"/> and the direction is
    /// unchanged. The norm is accumulated in double. Positive infinity disables the scaling but keeps the
    /// finiteness check.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="grads">The gradients, modified in place.</param>
    /// <param name="maxNorm">The largest allowed global norm, &gt; 0.</param>
    /// <returns>The global norm before clipping.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is ≤ 0 or NaN.</exception>
    /// <exception cref="InvalidOperationException">The norm is NaN or infinite: training diverged.</exception>
    public static double ClipByGlobalNorm<T>(ParameterSet<T> grads, double maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(grads);
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be > 0.");

        double sumOfSquares = 0;
        foreach (T g in grads.Values)
        {
            double x = double.CreateChecked(g);
            sumOfSquares += x * x;
        }
        double norm = Math.Sqrt(sumOfSquares);
        if (!double.IsFinite(norm))
            throw new InvalidOperationException(
                $"Training diverged: the gradient norm is {norm} (non-finite gradient). Try a lower learning rate or gradient clipping.");

        if (norm > maxNorm)
        {
            T scale = T.CreateChecked(maxNorm / norm);
            Span<T> values = grads.Values;
            for (int i = 0; i < values.Length; i++) values[i] *= scale;
        }
        return norm;
    }
}
