using System.Numerics;
using Microsoft.ML.Lstm.Kernels;

namespace Microsoft.ML.Lstm.Core;

/// <summary>The dense output layer y = W·features + b, forward and backward (W [O × F], b [O]).</summary>
internal sealed class DenseHead<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public DenseHead(int inputSize, int outputSize, int wOffset, int bOffset)
    {
        InputSize = inputSize; OutputSize = outputSize; WOffset = wOffset; BOffset = bOffset;
    }

    public int InputSize { get; }
    public int OutputSize { get; }
    public int WOffset { get; }
    public int BOffset { get; }

    /// <summary>y[rows × O] = features[rows × F]·Wᵀ + b.</summary>
    public void Forward(ComputeContext<T> ctx, T[] w, T[] features, int rows, T[] y)
    {
        ctx.MatMulNT(rows, OutputSize, InputSize, features, 0, InputSize, w, WOffset, InputSize, y, 0, OutputSize, accumulate: false);
        MatrixOps.AddRowBias(ctx, y, rows, OutputSize, w, BOffset);
    }

    /// <summary>Accumulates dW, db into <paramref name="grad"/> and writes dL/dfeatures [rows × F].</summary>
    public void Backward(ComputeContext<T> ctx, T[] w, T[] features, int rows, T[] dy, T[] grad, T[] dFeatures)
    {
        ctx.MatMulTN(OutputSize, InputSize, rows, dy, 0, OutputSize, features, 0, InputSize, grad, WOffset, InputSize, accumulate: true);
        MatrixOps.AddColumnSums(ctx, dy, rows, OutputSize, grad, BOffset);
        ctx.MatMulNN(rows, InputSize, OutputSize, dy, 0, OutputSize, w, WOffset, InputSize, dFeatures, 0, InputSize, accumulate: false);
    }
}
