using System.Numerics;
using Microsoft.ML.Lstm.Kernels;

namespace Microsoft.ML.Lstm.Core;

/// <summary>How a many-to-one head turns the top layer's outputs into one feature vector per sequence.</summary>
internal enum PoolingKind
{
    /// <summary>The final hidden states (see <see cref="LstmLayout"/>).</summary>
    Last,

    /// <summary>The mean of the outputs over the valid steps.</summary>
    Mean,

    /// <summary>The element-wise maximum of the outputs over the valid steps.</summary>
    Max,

    /// <summary>Additive attention over the valid steps (<see cref="SequencePooling{T}"/>).</summary>
    Attention,
}

/// <summary>
/// Pooling of the top layer's outputs h_t [T·B × D·H] over each sequence's valid steps into head features [B × D·H],
/// forward and backward side by side; padded steps never contribute and get no gradient.
/// <list type="bullet">
/// <item>Mean: (1/len) Σ h_t. Backward: dh_t = dF / len.</item>
/// <item>Max: max_t h_t per element (the first step on a tie). Backward: dF goes to the step that held the maximum.</item>
/// <item>Attention (additive, Bahdanau et al. 2015): u_t = tanh(W·h_t + b) [A], s_t = v·u_t, α = softmax(s) over the
/// valid steps, F = Σ α_t h_t. Backward: dα_t = dF·h_t, ds_t = α_t (dα_t − Σ_k α_k dα_k), dv = Σ ds_t u_t,
/// dz_t = ds_t v ⊙ (1 − u_t²), dW = Σ dz_t h_tᵀ, db = Σ dz_t, dh_t = α_t dF + Wᵀ dz_t.
/// Parameters <c>pool.W</c> [A × D·H], <c>pool.b</c> [A], <c>pool.v</c> [A], A = H.</item>
/// </list>
/// What the backward pass needs (the argmax steps, u and α) is kept in the workspace.
/// </summary>
internal sealed class SequencePooling<T>(PoolingKind kind, int width, int attentionSize, int wOffset, int bOffset, int vOffset)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The pooling.</summary>
    public PoolingKind Kind { get; } = kind;

    /// <summary>Pools <paramref name="top"/> [T·B × D·H] into <paramref name="features"/> [B × D·H].</summary>
    public void Forward(ComputeContext<T> ctx, T[] w, T[] top, int steps, int batch, int[] lengths, T[] features, PoolingBuffers<T> keep)
    {
        int F = width, rows = steps * batch;
        features.AsSpan(0, batch * F).Clear();
        switch (Kind)
        {
            case PoolingKind.Mean:
                for (int b = 0; b < batch; b++)
                {
                    var f = features.AsSpan(b * F, F);
                    for (int t = 0; t < lengths[b]; t++) MatrixOps.AddInPlace(f, top.AsSpan((t * batch + b) * F, F));
                    T scale = T.One / T.CreateChecked(lengths[b]);
                    for (int j = 0; j < F; j++) f[j] *= scale;
                }
                break;
            case PoolingKind.Max:
                var arg = MatrixOps.Ensure(ref keep.ArgMax, (long)batch * F);
                for (int b = 0; b < batch; b++)
                {
                    top.AsSpan(b * F, F).CopyTo(features.AsSpan(b * F, F));
                    arg.AsSpan(b * F, F).Clear();
                    for (int t = 1; t < lengths[b]; t++)
                        for (int j = 0; j < F; j++)
                        {
                            T value = top[(t * batch + b) * F + j];
                            if (value > features[b * F + j]) (features[b * F + j], arg[b * F + j]) = (value, t);
                        }
                }
                break;
            case PoolingKind.Attention:
                int A = attentionSize;
                var u = MatrixOps.Ensure(ref keep.U, (long)rows * A);
                var alpha = MatrixOps.Ensure(ref keep.Alpha, rows);
                ctx.MatMulNT(rows, A, F, top, 0, F, w, wOffset, F, u, 0, A, accumulate: false);
                MatrixOps.AddRowBias(ctx, u, rows, A, w, bOffset);
                for (int i = 0; i < rows * A; i++) u[i] = T.Tanh(u[i]);
                var v = w.AsSpan(vOffset, A);
                for (int b = 0; b < batch; b++)
                {
                    T max = T.NegativeInfinity, sum = T.Zero;
                    for (int t = 0; t < lengths[b]; t++)
                    {
                        int r = t * batch + b;
                        alpha[r] = Dot(v, u.AsSpan(r * A, A));
                        max = T.Max(max, alpha[r]);
                    }
                    for (int t = 0; t < lengths[b]; t++) sum += alpha[t * batch + b] = T.Exp(alpha[t * batch + b] - max);
                    var f = features.AsSpan(b * F, F);
                    for (int t = 0; t < lengths[b]; t++)
                    {
                        int r = t * batch + b;
                        alpha[r] /= sum;
                        for (int j = 0; j < F; j++) f[j] += alpha[r] * top[r * F + j];
                    }
                    for (int t = lengths[b]; t < steps; t++) alpha[t * batch + b] = T.Zero;
                }
                break;
            default:
                throw new InvalidOperationException($"{Kind} is not a pooling over steps.");
        }
    }

    /// <summary>
    /// Accumulates the attention parameters' gradients into <paramref name="grad"/> and writes dL/dh_t [T·B × D·H] (0 at
    /// padded steps) to <paramref name="dTop"/>, given dL/dF [B × D·H], for the last <see cref="Forward"/>.
    /// </summary>
    public void Backward(ComputeContext<T> ctx, T[] w, T[] top, int steps, int batch, int[] lengths, T[] dFeatures, T[] grad,
        T[] dTop, PoolingBuffers<T> keep)
    {
        int F = width, rows = steps * batch;
        dTop.AsSpan(0, rows * F).Clear();
        switch (Kind)
        {
            case PoolingKind.Mean:
                for (int b = 0; b < batch; b++)
                {
                    T scale = T.One / T.CreateChecked(lengths[b]);
                    for (int t = 0; t < lengths[b]; t++)
                        for (int j = 0; j < F; j++) dTop[(t * batch + b) * F + j] = dFeatures[b * F + j] * scale;
                }
                break;
            case PoolingKind.Max:
                for (int b = 0; b < batch; b++)
                    for (int j = 0; j < F; j++) dTop[(keep.ArgMax[b * F + j] * batch + b) * F + j] = dFeatures[b * F + j];
                break;
            case PoolingKind.Attention:
                int A = attentionSize;
                var (u, alpha) = (keep.U, keep.Alpha);
                var dz = MatrixOps.Ensure(ref keep.DZ, (long)rows * A);
                dz.AsSpan(0, rows * A).Clear();
                var v = w.AsSpan(vOffset, A);
                var dv = grad.AsSpan(vOffset, A);
                for (int b = 0; b < batch; b++)
                {
                    var dF = dFeatures.AsSpan(b * F, F);
                    T mean = T.Zero;
                    for (int t = 0; t < lengths[b]; t++)
                    {
                        int r = t * batch + b;
                        mean += alpha[r] * Dot(dF, top.AsSpan(r * F, F));
                    }
                    for (int t = 0; t < lengths[b]; t++)
                    {
                        int r = t * batch + b;
                        T ds = alpha[r] * (Dot(dF, top.AsSpan(r * F, F)) - mean);
                        for (int a = 0; a < A; a++)
                        {
                            T ua = u[r * A + a];
                            dv[a] += ds * ua;
                            dz[r * A + a] = ds * v[a] * (T.One - ua * ua);
                        }
                    }
                }
                ctx.MatMulTN(A, F, rows, dz, 0, A, top, 0, F, grad, wOffset, F, accumulate: true);
                MatrixOps.AddColumnSums(ctx, dz, rows, A, grad, bOffset);
                ctx.MatMulNN(rows, F, A, dz, 0, A, w, wOffset, F, dTop, 0, F, accumulate: false);
                for (int b = 0; b < batch; b++)
                    for (int t = 0; t < lengths[b]; t++)
                    {
                        int r = t * batch + b;
                        for (int j = 0; j < F; j++) dTop[r * F + j] += alpha[r] * dFeatures[b * F + j];
                    }
                break;
            default:
                throw new InvalidOperationException($"{Kind} is not a pooling over steps.");
        }
    }

    private static T Dot(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
    {
        T s = T.Zero;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}

/// <summary>What a pooling's forward pass keeps for its backward pass (in the workspace; grown, then reused).</summary>
internal sealed class PoolingBuffers<T>
{
    /// <summary>[B × D·H] the step that held each maximum (max pooling).</summary>
    public int[] ArgMax = [];

    /// <summary>[T·B × A] u_t (attention).</summary>
    public T[] U = [];

    /// <summary>[T·B] α_t, 0 at padded steps (attention).</summary>
    public T[] Alpha = [];

    /// <summary>[T·B × A] dL/d(W·h_t + b) (attention backward).</summary>
    public T[] DZ = [];

    /// <summary>Values kept between the passes.</summary>
    public long StoredValues => (long)U.Length + Alpha.Length + ArgMax.Length;
}
