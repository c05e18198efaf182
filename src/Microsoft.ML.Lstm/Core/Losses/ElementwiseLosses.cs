using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// Base for losses that are a mean of a per-element function ℓ(y, target) over valid rows × outputs.
/// </summary>
internal abstract class ElementwiseLoss<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>ℓ(y, target) and dℓ/dy.</summary>
    protected abstract (T Loss, T Grad) Element(T y, T target, int row, int column);

    /// <inheritdoc/>
    public T Compute(ReadOnlySpan<T> output, int rows, int width, LossTargets<T> targets, ReadOnlySpan<bool> valid, Span<T> dOutput)
    {
        Losses.CheckShapes(output, rows, width, dOutput);
        var target = Losses.RealTargets(targets, rows * width);
        int n = Losses.CountValid(rows, valid);
        dOutput[..(rows * width)].Clear();
        if (n == 0) return T.Zero;
        T scale = T.One / T.CreateChecked((long)n * width), sum = T.Zero;
        for (int r = 0; r < rows; r++)
        {
            if (!valid.IsEmpty && !valid[r]) continue;
            for (int j = 0; j < width; j++)
            {
                int k = r * width + j;
                if (!T.IsFinite(target[k]))
                    throw new ArgumentException($"Target at row {r}, output {j} is not finite ({target[k]}).", nameof(targets));
                var (l, g) = Element(output[k], target[k], r, j);
                sum += l;
                dOutput[k] = g * scale;
            }
        }
        return sum * scale;
    }
}

/// <summary>Mean squared error: ℓ = (y − t)².</summary>
internal sealed class MseLoss<T> : ElementwiseLoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    protected override (T Loss, T Grad) Element(T y, T target, int row, int column)
    {
        T d = y - target;
        return (d * d, d + d);
    }
}

/// <summary>Huber loss: ½d² for |d| ≤ δ, δ(|d| − ½δ) beyond (PyTorch <c>HuberLoss</c>).</summary>
internal sealed class HuberLoss<T> : ElementwiseLoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _delta;

    /// <summary>Creates the loss with threshold δ &gt; 0.</summary>
    public HuberLoss(double delta = 1.0)
    {
        if (!(delta > 0) || double.IsInfinity(delta))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Huber delta must be positive and finite.");
        _delta = T.CreateChecked(delta);
    }

    /// <inheritdoc/>
    protected override (T Loss, T Grad) Element(T y, T target, int row, int column)
    {
        T d = y - target, half = T.CreateChecked(0.5);
        if (T.Abs(d) <= _delta) return (half * d * d, d);
        return (_delta * (T.Abs(d) - half * _delta), T.CopySign(_delta, d));
    }
}

/// <summary>
/// Sigmoid binary cross-entropy on logits: ℓ = softplus(y) − t·y, computed stably
/// (PyTorch <c>BCEWithLogitsLoss</c>). Targets in [0, 1].
/// </summary>
internal sealed class SigmoidBinaryCrossEntropyLoss<T> : ElementwiseLoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    protected override (T Loss, T Grad) Element(T y, T target, int row, int column)
    {
        if (target < T.Zero || target > T.One)
            throw new ArgumentException($"Binary target at row {row}, output {column} is {target}; expected a value in [0, 1].", "targets");
        T softplus = T.Max(y, T.Zero) + T.Log(T.One + T.Exp(-T.Abs(y)));
        return (softplus - target * y, LstmCell<T>.Sigmoid(y) - target);
    }
}
