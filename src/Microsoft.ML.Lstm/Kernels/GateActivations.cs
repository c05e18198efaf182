using Microsoft.ML.Lstm.Kernels.Simd;

namespace Microsoft.ML.Lstm.Kernels;

/// <summary>
/// Vectorized float version of the element-wise LSTM step (<c>LstmCell&lt;float&gt;.Forward/Backward</c>):
/// same arguments after the width, same gate order and in-place contract, with σ and tanh evaluated by polynomial
/// approximations (<see cref="SigmoidMaxAbsError"/>, <see cref="TanhMaxAbsError"/>) instead of the scalar
/// <c>MathF.Exp</c>/<c>MathF.Tanh</c>. Each hidden unit's results depend only on its own inputs (never on
/// its position, the thread or the batch range) and are bit-identical on every <see cref="KernelPath"/>;
/// the width is the caller's <see cref="IWidthKernels"/> (<see cref="KernelPaths.For"/>).
/// </summary>
internal static unsafe class GateActivations
{
    /// <summary>
    /// Bound on |σ(x) − σ_exact(x)| over all finite x, measured against double-precision math in the tests
    /// (largest observed: 8.9e−8, under 1 ulp of values near 1); the relative error is below
    /// <see cref="MaxRelativeError"/> for x ≥ −80.
    /// </summary>
    public const double SigmoidMaxAbsError = 1.5e-7;

    /// <summary>
    /// Bound on |tanh(x) − Math.Tanh(x)| over all finite x, measured in the tests (largest observed:
    /// 8.9e−8); the relative error is below <see cref="MaxRelativeError"/> everywhere, including near 0.
    /// </summary>
    public const double TanhMaxAbsError = 1.5e-7;

    /// <summary>
    /// Bound on the relative error of σ (x ≥ −80) and tanh (all x): 3e−7, about 2.5 ulp (largest observed:
    /// 1.8e−7 for σ, 1.5e−7 for tanh).
    /// </summary>
    public const double MaxRelativeError = 3e-7;

    /// <summary>
    /// Forward: turns the pre-activations <paramref name="gates"/> [4H] into activations (i, f, g, o) in
    /// place and writes c_t = f·c_{t−1} + i·g and h_t = o·tanh(c_t); H = <paramref name="c"/>.Length.
    /// </summary>
    public static void Forward(IWidthKernels width, Span<float> gates, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> h)
    {
        int n = c.Length;
        Require(gates.Length >= 4 * n && cPrev.Length >= n && h.Length >= n, "gates [4H], cPrev, c and h [H]");
        fixed (float* z = gates) fixed (float* cp = cPrev) fixed (float* pc = c) fixed (float* ph = h)
            width.GateForward(n, z, cp, pc, ph);
    }

    /// <summary>
    /// Backward: given the activations in <paramref name="gates"/>, c_t, c_{t−1}, dL/dh_t and dL/dc_t in
    /// <paramref name="dc"/>, overwrites <paramref name="gates"/> with dL/dz and <paramref name="dc"/> with
    /// dL/dc_{t−1}; H = <paramref name="c"/>.Length.
    /// </summary>
    public static void Backward(IWidthKernels width, Span<float> gates, ReadOnlySpan<float> c,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> dh, Span<float> dc)
    {
        int n = c.Length;
        Require(gates.Length >= 4 * n && cPrev.Length >= n && dh.Length >= n && dc.Length >= n, "gates [4H], c, cPrev, dh and dc [H]");
        fixed (float* z = gates) fixed (float* pc = c) fixed (float* cp = cPrev) fixed (float* pdh = dh) fixed (float* pdc = dc)
            width.GateBackward(n, z, pc, cp, pdh, pdc);
    }

    /// <summary>y = σ(x) (<paramref name="sigmoid"/>) or tanh(x) element-wise, the approximations <see cref="Forward"/> uses.</summary>
    public static void Map(IWidthKernels width, ReadOnlySpan<float> x, Span<float> y, bool sigmoid)
    {
        Require(y.Length >= x.Length, "y at least as long as x");
        fixed (float* px = x) fixed (float* py = y)
            width.Map(x.Length, px, py, sigmoid);
    }

    private static void Require(bool ok, string what)
    {
        if (!ok) throw new ArgumentException($"Span lengths do not match: expected {what}.");
    }
}
