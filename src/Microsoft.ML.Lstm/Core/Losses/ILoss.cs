using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>Which loss a network is trained with.</summary>
internal enum LossKind
{
    /// <summary>Mean squared error (regression).</summary>
    MeanSquaredError,

    /// <summary>Huber loss with threshold δ (robust regression).</summary>
    Huber,

    /// <summary>Softmax cross-entropy over O classes (multiclass; targets are class indices).</summary>
    SoftmaxCrossEntropy,

    /// <summary>Sigmoid binary cross-entropy per output (binary / multi-label; targets 0 or 1).</summary>
    SigmoidBinaryCrossEntropy,
}

/// <summary>Targets of a batch: real values [rows × O] or class indices [rows].</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="Values">Real-valued targets, row-major [rows × O] (regression, binary).</param>
/// <param name="Classes">Class indices [rows] (softmax cross-entropy).</param>
internal sealed record LossTargets<T>(T[]? Values, int[]? Classes = null) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// A loss over the rows of a head output [rows × O]. Rows marked invalid (padded steps) contribute
/// neither loss nor gradient; the loss is the mean over valid rows (and over outputs for the
/// element-wise losses), as PyTorch's <c>reduction='mean'</c>.
/// </summary>
internal interface ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Computes the loss and writes dL/d(output) into <paramref name="dOutput"/>.</summary>
    /// <param name="output">Head outputs [rows × width].</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="width">Outputs per row, O.</param>
    /// <param name="targets">Targets for every row.</param>
    /// <param name="valid">Which rows count; empty means all.</param>
    /// <param name="dOutput">Receives the gradient [rows × width] (0 on invalid rows).</param>
    T Compute(ReadOnlySpan<T> output, int rows, int width, LossTargets<T> targets, ReadOnlySpan<bool> valid, Span<T> dOutput);
}

/// <summary>Creates losses.</summary>
internal static class Losses
{
    /// <summary>The loss of the given kind; <paramref name="huberDelta"/> is used by <see cref="LossKind.Huber"/>.</summary>
    public static ILoss<T> Create<T>(LossKind kind, double huberDelta = 1.0) where T : unmanaged, IFloatingPointIeee754<T> => kind switch
    {
        LossKind.MeanSquaredError => new MseLoss<T>(),
        LossKind.Huber => new HuberLoss<T>(huberDelta),
        LossKind.SoftmaxCrossEntropy => new SoftmaxCrossEntropyLoss<T>(),
        LossKind.SigmoidBinaryCrossEntropy => new SigmoidBinaryCrossEntropyLoss<T>(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown loss."),
    };

    internal static int CountValid(int rows, ReadOnlySpan<bool> valid)
    {
        if (valid.IsEmpty) return rows;
        if (valid.Length != rows) throw new ArgumentException($"valid has {valid.Length} entries for {rows} rows.", nameof(valid));
        int n = 0;
        foreach (bool v in valid) if (v) n++;
        return n;
    }

    internal static void CheckShapes<T>(ReadOnlySpan<T> output, int rows, int width, Span<T> dOutput)
    {
        if (rows <= 0) throw new ArgumentException("The batch is empty.", nameof(rows));
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive.");
        if (output.Length < rows * width)
            throw new ArgumentException($"output has {output.Length} values; rows·width = {rows * width}.", nameof(output));
        if (dOutput.Length < rows * width)
            throw new ArgumentException($"dOutput has {dOutput.Length} values; rows·width = {rows * width}.", nameof(dOutput));
    }

    internal static T[] RealTargets<T>(LossTargets<T> targets, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(targets);
        var v = targets.Values ?? throw new ArgumentException("This loss needs real-valued targets (Values).", nameof(targets));
        if (v.Length < count) throw new ArgumentException($"targets has {v.Length} values; {count} needed.", nameof(targets));
        return v;
    }
}
