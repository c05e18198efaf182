using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// Pinball (quantile) loss for quantile regression: for level τ and residual d = t − y,
/// ℓ = τ·d when d ≥ 0 and (τ − 1)·d otherwise, so dℓ/dy = 𝟙[y &gt; t] − τ. Its minimizer over y is the
/// τ-quantile of the target distribution (Koenker &amp; Bassett 1978). Output column j is read as the
/// quantile of level <c>Levels[j mod Levels.Count]</c>: a head of width H·Q holds, for each of H targets,
/// Q quantiles side by side. Mean over valid rows and outputs, like the other element-wise losses.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class PinballLoss<T> : ElementwiseLoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _levels;

    /// <summary>Creates the loss for the given quantile levels, each in (0, 1).</summary>
    /// <param name="levels">Quantile levels τ, cycled over the output columns.</param>
    /// <exception cref="ArgumentException">No level is given, or a level is outside (0, 1).</exception>
    public PinballLoss(IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (levels.Count == 0) throw new ArgumentException("At least one quantile level is needed.", nameof(levels));
        _levels = new T[levels.Count];
        for (int q = 0; q < levels.Count; q++)
        {
            double tau = levels[q];
            if (!(tau > 0 && tau < 1))
                throw new ArgumentException($"Quantile level {q} is {tau}; levels must lie strictly between 0 and 1.", nameof(levels));
            _levels[q] = T.CreateChecked(tau);
        }
        Levels = levels.ToArray();
    }

    /// <summary>The quantile levels, in column order.</summary>
    public IReadOnlyList<double> Levels { get; }

    /// <inheritdoc/>
    protected override (T Loss, T Grad) Element(T y, T target, int row, int column)
    {
        T tau = _levels[column % _levels.Length], d = target - y;
        return d >= T.Zero ? (tau * d, -tau) : ((tau - T.One) * d, T.One - tau);
    }
}
