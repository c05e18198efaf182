using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Lstm.Kernels.Simd;

/// <summary>Element-wise arithmetic on top of <see cref="ISimdOps{TV}"/>, for the activation functions.</summary>
/// <typeparam name="TV">The vector type.</typeparam>
internal interface IVectorMath<TV> : ISimdOps<TV> where TV : unmanaged
{
    /// <summary>All lanes set to <paramref name="x"/>.</summary>
    static abstract TV Create(float x);
    /// <summary>a + b.</summary>
    static abstract TV Add(TV a, TV b);
    /// <summary>a − b.</summary>
    static abstract TV Subtract(TV a, TV b);
    /// <summary>a · b.</summary>
    static abstract TV Multiply(TV a, TV b);
    /// <summary>a / b.</summary>
    static abstract TV Divide(TV a, TV b);
    /// <summary>Lane-wise minimum.</summary>
    static abstract TV Min(TV a, TV b);
    /// <summary>Lane-wise maximum.</summary>
    static abstract TV Max(TV a, TV b);
    /// <summary>|a|.</summary>
    static abstract TV Abs(TV a);
    /// <summary>⌊a⌋.</summary>
    static abstract TV Floor(TV a);
    /// <summary>a &lt; b ? x : y, lane-wise.</summary>
    static abstract TV SelectLess(TV a, TV b, TV x, TV y);
    /// <summary>y·2ⁿ for integer-valued n in [−126, 127] (exact unless the result is subnormal).</summary>
    static abstract TV ScaleByPow2(TV y, TV n);
}

internal readonly partial struct V512 : IVectorMath<Vector512<float>>
{
    public static Vector512<float> Create(float x) => Vector512.Create(x);
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;
    public static Vector512<float> Min(Vector512<float> a, Vector512<float> b) => Vector512.Min(a, b);
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
    public static Vector512<float> Abs(Vector512<float> a) => Vector512.Abs(a);
    public static Vector512<float> Floor(Vector512<float> a) => Vector512.Floor(a);
    public static Vector512<float> SelectLess(Vector512<float> a, Vector512<float> b, Vector512<float> x, Vector512<float> y) =>
        Vector512.ConditionalSelect(Vector512.LessThan(a, b), x, y);
    public static Vector512<float> ScaleByPow2(Vector512<float> y, Vector512<float> n) => Avx512F.IsSupported
        ? Avx512F.Scale(y, n)
        : y * Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
}

internal readonly partial struct V256 : IVectorMath<Vector256<float>>
{
    public static Vector256<float> Create(float x) => Vector256.Create(x);
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;
    public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
    public static Vector256<float> Abs(Vector256<float> a) => Vector256.Abs(a);
    public static Vector256<float> Floor(Vector256<float> a) => Vector256.Floor(a);
    public static Vector256<float> SelectLess(Vector256<float> a, Vector256<float> b, Vector256<float> x, Vector256<float> y) =>
        Vector256.ConditionalSelect(Vector256.LessThan(a, b), x, y);
    public static Vector256<float> ScaleByPow2(Vector256<float> y, Vector256<float> n) =>
        y * Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23).AsSingle();
}

internal readonly partial struct V128 : IVectorMath<Vector128<float>>
{
    public static Vector128<float> Create(float x) => Vector128.Create(x);
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;
    public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => Vector128.Min(a, b);
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);
    public static Vector128<float> Abs(Vector128<float> a) => Vector128.Abs(a);
    public static Vector128<float> Floor(Vector128<float> a) => Vector128.Floor(a);
    public static Vector128<float> SelectLess(Vector128<float> a, Vector128<float> b, Vector128<float> x, Vector128<float> y) =>
        Vector128.ConditionalSelect(Vector128.LessThan(a, b), x, y);
    public static Vector128<float> ScaleByPow2(Vector128<float> y, Vector128<float> n) =>
        y * Vector128.ShiftLeft(Vector128.ConvertToInt32(n) + Vector128.Create(127), 23).AsSingle();
}

internal readonly partial struct Scalar : IVectorMath<float>
{
    public static float Create(float x) => x;
    public static float Add(float a, float b) => a + b;
    public static float Subtract(float a, float b) => a - b;
    public static float Multiply(float a, float b) => a * b;
    public static float Divide(float a, float b) => a / b;
    public static float Min(float a, float b) => MathF.Min(a, b);
    public static float Max(float a, float b) => MathF.Max(a, b);
    public static float Abs(float a) => MathF.Abs(a);
    public static float Floor(float a) => MathF.Floor(a);
    public static float SelectLess(float a, float b, float x, float y) => a < b ? x : y;
    public static float ScaleByPow2(float y, float n) => y * BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
}

/// <summary>
/// exp, logistic sigmoid and tanh written once over <see cref="IVectorMath{TV}"/>, so every width (and
/// the scalar fallback) evaluates the same formulas. Error bounds are in <see cref="GateActivations"/>.
/// </summary>
internal static class VectorMath<TV, TOps> where TV : unmanaged where TOps : IVectorMath<TV>
{
    /// <summary>
    /// eˣ for x clamped to [−87.3, 88.3] (Cephes expf: x = n·ln 2 + r, |r| ≤ ln 2 / 2, degree-7 polynomial
    /// for eʳ, ≈1 ulp). Large negative x give ≈1e−38 instead of denormals or 0; large positive x ≈ 2e38.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp(TV x)
    {
        x = TOps.Max(TOps.Min(x, TOps.Create(88.3f)), TOps.Create(-87.3f));
        TV n = TOps.Floor(TOps.MultiplyAdd(x, TOps.Create(1.44269504088896341f), TOps.Create(0.5f)));
        TV r = TOps.MultiplyAdd(n, TOps.Create(-0.693359375f), x);
        r = TOps.MultiplyAdd(n, TOps.Create(2.12194440e-4f), r);
        TV p = TOps.Create(1.9875691500e-4f);
        p = TOps.MultiplyAdd(p, r, TOps.Create(1.3981999507e-3f));
        p = TOps.MultiplyAdd(p, r, TOps.Create(8.3334519073e-3f));
        p = TOps.MultiplyAdd(p, r, TOps.Create(4.1665795894e-2f));
        p = TOps.MultiplyAdd(p, r, TOps.Create(1.6666665459e-1f));
        p = TOps.MultiplyAdd(p, r, TOps.Create(5.0000001201e-1f));
        TV y = TOps.MultiplyAdd(p, TOps.Multiply(r, r), TOps.Add(r, TOps.Create(1f)));
        return TOps.ScaleByPow2(y, n);
    }

    /// <summary>σ(x) = 1 / (1 + e⁻ˣ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Sigmoid(TV x)
    {
        TV one = TOps.Create(1f);
        return TOps.Divide(one, TOps.Add(one, Exp(TOps.Subtract(default, x))));
    }

    /// <summary>
    /// tanh x: odd Taylor polynomial to x¹³ for |x| &lt; 0.4 (keeps the relative error small near 0),
    /// otherwise sign(x)·(1 − t)/(1 + t) with t = e^(−2|x|).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Tanh(TV x)
    {
        TV one = TOps.Create(1f);
        TV ax = TOps.Abs(x);
        TV t = Exp(TOps.Multiply(ax, TOps.Create(-2f)));
        TV big = TOps.Divide(TOps.Subtract(one, t), TOps.Add(one, t));
        big = TOps.SelectLess(x, default, TOps.Subtract(default, big), big);
        TV x2 = TOps.Multiply(x, x);
        TV p = TOps.Create(21844f / 6081075f);
        p = TOps.MultiplyAdd(p, x2, TOps.Create(-1382f / 155925f));
        p = TOps.MultiplyAdd(p, x2, TOps.Create(62f / 2835f));
        p = TOps.MultiplyAdd(p, x2, TOps.Create(-17f / 315f));
        p = TOps.MultiplyAdd(p, x2, TOps.Create(2f / 15f));
        p = TOps.MultiplyAdd(p, x2, TOps.Create(-1f / 3f));
        TV small = TOps.MultiplyAdd(TOps.Multiply(p, x2), x, x);
        return TOps.SelectLess(ax, TOps.Create(0.4f), small, big);
    }
}
