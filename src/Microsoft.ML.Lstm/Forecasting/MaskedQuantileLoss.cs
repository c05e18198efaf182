using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// <see cref="PinballLoss{T}"/> over the elements whose target is known (finite): the mean over those
/// elements only, with zero gradient elsewhere. Targets beyond the end of the training part, warm-up rows
/// and padding are NaN.
/// </summary>
internal static class MaskedQuantileLoss
{
    /// <summary>Returns the mean loss and the number of known targets; writes the gradient into <paramref name="dOutput"/>.</summary>
    public static (double Loss, int Count) Compute(PinballLoss<float> loss, ReadOnlySpan<float> output, int rows, int width,
        ReadOnlySpan<float> targets, Span<float> dOutput)
    {
        int n = rows * width, count = 0, validRows = 0;
        var filled = new float[n];
        var valid = new bool[rows];
        for (int k = 0; k < n; k++)
        {
            bool known = float.IsFinite(targets[k]);
            filled[k] = known ? targets[k] : output[k];   // a known-zero residual: no loss
            if (!known) continue;
            count++;
            valid[k / width] = true;
        }
        dOutput[..n].Clear();
        if (count == 0) return (0, 0);
        foreach (bool v in valid) if (v) validRows++;
        float mean = loss.Compute(output, rows, width, new LossTargets<float>(filled), valid, dOutput);
        float factor = (float)((double)validRows * width / count);
        for (int k = 0; k < n; k++) dOutput[k] = float.IsFinite(targets[k]) ? dOutput[k] * factor : 0;
        return ((double)mean * validRows * width / count, count);
    }
}
