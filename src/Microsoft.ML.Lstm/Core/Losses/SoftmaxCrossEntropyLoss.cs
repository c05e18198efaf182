using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// Softmax cross-entropy on logits [rows × O] against class indices (PyTorch <c>CrossEntropyLoss</c>):
/// ℓ = logsumexp(y) − y[class], mean over valid rows.
/// </summary>
internal sealed class SoftmaxCrossEntropyLoss<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Compute(ReadOnlySpan<T> output, int rows, int width, LossTargets<T> targets, ReadOnlySpan<bool> valid, Span<T> dOutput)
    {
        Losses.CheckShapes(output, rows, width, dOutput);
        ArgumentNullException.ThrowIfNull(targets);
        var classes = targets.Classes
            ?? throw new ArgumentException("Softmax cross-entropy needs class indices (Classes).", nameof(targets));
        if (classes.Length < rows) throw new ArgumentException($"targets has {classes.Length} classes for {rows} rows.", nameof(targets));
        int n = Losses.CountValid(rows, valid);
        dOutput[..(rows * width)].Clear();
        if (n == 0) return T.Zero;
        T scale = T.One / T.CreateChecked(n), sum = T.Zero;
        for (int r = 0; r < rows; r++)
        {
            if (!valid.IsEmpty && !valid[r]) continue;
            int c = classes[r];
            if ((uint)c >= (uint)width)
                throw new ArgumentException($"Class index at row {r} is {c}; expected 0..{width - 1}.", nameof(targets));
            var y = output.Slice(r * width, width);
            var d = dOutput.Slice(r * width, width);
            T lse = LogSoftmax(y, d);   // d = log-probabilities
            sum += lse - y[c];
            for (int j = 0; j < width; j++) d[j] = T.Exp(d[j]) * scale;
            d[c] -= scale;
        }
        return sum * scale;
    }

    /// <summary>Writes softmax(y) = exp(log-softmax(y)) into <paramref name="p"/>: the probabilities this loss scores.</summary>
    public static void Softmax(ReadOnlySpan<T> y, Span<T> p)
    {
        LogSoftmax(y, p);
        for (int j = 0; j < y.Length; j++) p[j] = T.Exp(p[j]);
    }

    /// <summary>Writes log-softmax(y) into <paramref name="logp"/> and returns logsumexp(y).</summary>
    public static T LogSoftmax(ReadOnlySpan<T> y, Span<T> logp)
    {
        T max = y[0];
        for (int j = 1; j < y.Length; j++) if (y[j] > max) max = y[j];
        T s = T.Zero;
        for (int j = 0; j < y.Length; j++) s += T.Exp(y[j] - max);
        T lse = max + T.Log(s);
        for (int j = 0; j < y.Length; j++) logp[j] = y[j] - lse;
        return lse;
    }
}
