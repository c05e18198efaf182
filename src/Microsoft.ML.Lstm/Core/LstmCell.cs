using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// The element-wise part of one LSTM step for one sample, forward and backward side by side (equations
/// and gate order in <see cref="LstmLayout"/>). This scalar code is the specification for fused kernels.
/// </summary>
internal static class LstmCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Logistic sigmoid 1 / (1 + e^−x), stable for large |x|.</summary>
    public static T Sigmoid(T x)
    {
        if (x >= T.Zero) return T.One / (T.One + T.Exp(-x));
        T e = T.Exp(x);
        return e / (T.One + e);
    }

    /// <summary>
    /// Forward: turns the pre-activations <paramref name="gates"/> [4H] into activations (i, f, g, o) in
    /// place and writes c_t and h_t.
    /// </summary>
    public static void Forward(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> c, Span<T> h)
    {
        int n = c.Length;
        var gi = gates[..n];
        var gf = gates.Slice(n, n);
        var gg = gates.Slice(2 * n, n);
        var go = gates.Slice(3 * n, n);
        for (int j = 0; j < n; j++)
        {
            T i = Sigmoid(gi[j]), f = Sigmoid(gf[j]), g = T.Tanh(gg[j]), o = Sigmoid(go[j]);
            gi[j] = i; gf[j] = f; gg[j] = g; go[j] = o;
            T cj = f * cPrev[j] + i * g;
            c[j] = cj;
            h[j] = o * T.Tanh(cj);
        }
    }

    /// <summary>
    /// Backward: given the activations in <paramref name="gates"/>, c_t, c_{t−1}, dL/dh_t (all paths) and
    /// dL/dc_t from step t+1 in <paramref name="dc"/>, overwrites <paramref name="gates"/> with dL/dz
    /// (pre-activation gradients) and <paramref name="dc"/> with dL/dc_{t−1}.
    /// </summary>
    public static void Backward(Span<T> gates, ReadOnlySpan<T> c, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> dh, Span<T> dc)
    {
        int n = c.Length;
        var gi = gates[..n];
        var gf = gates.Slice(n, n);
        var gg = gates.Slice(2 * n, n);
        var go = gates.Slice(3 * n, n);
        for (int j = 0; j < n; j++)
        {
            T i = gi[j], f = gf[j], g = gg[j], o = go[j];
            T tc = T.Tanh(c[j]);
            T dcj = dc[j] + dh[j] * o * (T.One - tc * tc);
            go[j] = dh[j] * tc * o * (T.One - o);
            gi[j] = dcj * g * i * (T.One - i);
            gg[j] = dcj * i * (T.One - g * g);
            gf[j] = dcj * cPrev[j] * f * (T.One - f);
            dc[j] = dcj * f;
        }
    }
}
