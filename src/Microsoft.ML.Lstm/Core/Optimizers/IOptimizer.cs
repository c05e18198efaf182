using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// A first-order optimizer that updates a <see cref="ParameterSet{T}"/> in place from its gradient.
/// Implementations follow PyTorch's <c>torch.optim</c> update rules exactly.
/// </summary>
/// <typeparam name="T">float or double; optimizer state is kept in the same type.</typeparam>
internal interface IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Applies one update to <paramref name="parameters"/> in place. The optimizer state (moments,
    /// momentum buffers, step count) is allocated on the first call, sized to the parameters.
    /// </summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="gradients">The gradient of the loss; must have the same layout as <paramref name="parameters"/>. Not modified.</param>
    /// <param name="learningRate">The step size for this update; finite and ≥ 0.</param>
    /// <exception cref="ArgumentException">The layouts of the two sets differ,
    /// or differ from the layout the state was allocated for.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative or not finite.</exception>
    void Step(ParameterSet<T> parameters, ParameterSet<T> gradients, double learningRate);

    /// <summary>Discards all optimizer state; the next <see cref="Step"/> starts afresh, as a new optimizer would.</summary>
    void Reset();
}
