using System.Runtime.Intrinsics;
using Microsoft.ML.Lstm.Kernels.Simd;

namespace Microsoft.ML.Lstm.Kernels;

/// <summary>
/// Vectorized float version of the element-wise LSTM step (<c>LstmCell&lt;float&gt;.Forward/Backward</c>):
/// same arguments, same gate order and in-place contract, with σ and tanh evaluated by polynomial
/// approximations (<see cref="SigmoidMaxAbsError"/>, <see cref="TanhMaxAbsError"/>) instead of the scalar
/// <c>MathF.Exp</c>/<c>MathF.Tanh</c>. Each hidden unit's results depend only on its own inputs (never on
/// its position, the thread or the batch range) and are bit-identical on every <see cref="KernelPath"/>.
/// </summary>
public static unsafe class GateActivations
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
    public static void Forward(Span<float> gates, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> h) =>
        Forward(SimdMatrixKernels.BestPath, gates, cPrev, c, h);

    /// <summary>
    /// Backward: given the activations in <paramref name="gates"/>, c_t, c_{t−1}, dL/dh_t and dL/dc_t in
    /// <paramref name="dc"/>, overwrites <paramref name="gates"/> with dL/dz and <paramref name="dc"/> with
    /// dL/dc_{t−1}; H = <paramref name="c"/>.Length.
    /// </summary>
    public static void Backward(Span<float> gates, ReadOnlySpan<float> c, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> dh, Span<float> dc) =>
        Backward(SimdMatrixKernels.BestPath, gates, c, cPrev, dh, dc);

    /// <summary>y = σ(x) element-wise (the approximation used by <see cref="Forward(Span{float}, ReadOnlySpan{float}, Span{float}, Span{float})"/>).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y) => Map(SimdMatrixKernels.BestPath, x, y, sigmoid: true);

    /// <summary>y = tanh(x) element-wise (the approximation used by <see cref="Forward(Span{float}, ReadOnlySpan{float}, Span{float}, Span{float})"/>).</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => Map(SimdMatrixKernels.BestPath, x, y, sigmoid: false);

    internal static void Forward(KernelPath path, Span<float> gates, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> h)
    {
        int n = c.Length;
        Require(gates.Length >= 4 * n && cPrev.Length >= n && h.Length >= n, "gates [4H], cPrev, c and h [H]");
        fixed (float* z = gates) fixed (float* cp = cPrev) fixed (float* pc = c) fixed (float* ph = h)
        {
            switch (Supported(path))
            {
                case KernelPath.Vector512: GateKernels<Vector512<float>, V512>.Forward(n, z, cp, pc, ph); break;
                case KernelPath.Vector256: GateKernels<Vector256<float>, V256>.Forward(n, z, cp, pc, ph); break;
                default: GateKernels<float, Scalar>.Forward(n, z, cp, pc, ph); break;
            }
        }
    }

    internal static void Backward(KernelPath path, Span<float> gates, ReadOnlySpan<float> c, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> dh, Span<float> dc)
    {
        int n = c.Length;
        Require(gates.Length >= 4 * n && cPrev.Length >= n && dh.Length >= n && dc.Length >= n, "gates [4H], c, cPrev, dh and dc [H]");
        fixed (float* z = gates) fixed (float* pc = c) fixed (float* cp = cPrev) fixed (float* pdh = dh) fixed (float* pdc = dc)
        {
            switch (Supported(path))
            {
                case KernelPath.Vector512: GateKernels<Vector512<float>, V512>.Backward(n, z, pc, cp, pdh, pdc); break;
                case KernelPath.Vector256: GateKernels<Vector256<float>, V256>.Backward(n, z, pc, cp, pdh, pdc); break;
                default: GateKernels<float, Scalar>.Backward(n, z, pc, cp, pdh, pdc); break;
            }
        }
    }

    internal static void Map(KernelPath path, ReadOnlySpan<float> x, Span<float> y, bool sigmoid)
    {
        Require(y.Length >= x.Length, "y at least as long as x");
        fixed (float* px = x) fixed (float* py = y)
        {
            switch (Supported(path))
            {
                case KernelPath.Vector512: GateKernels<Vector512<float>, V512>.Map(x.Length, px, py, sigmoid); break;
                case KernelPath.Vector256: GateKernels<Vector256<float>, V256>.Map(x.Length, px, py, sigmoid); break;
                default: GateKernels<float, Scalar>.Map(x.Length, px, py, sigmoid); break;
            }
        }
    }

    private static KernelPath Supported(KernelPath path) =>
        SimdMatrixKernels.IsSupported(path) ? path : throw new NotSupportedException($"Kernel path {path} is not hardware-accelerated on this machine.");

    private static void Require(bool ok, string what)
    {
        if (!ok) throw new ArgumentException($"Span lengths do not match: expected {what}.");
    }
}
