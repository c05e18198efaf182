using System.Runtime.CompilerServices;

namespace Microsoft.ML.Lstm.Kernels.Simd;

/// <summary>
/// The vectorized element-wise LSTM step behind <see cref="GateActivations"/>: the formulas of
/// <c>LstmCell&lt;T&gt;.Forward/Backward</c>, one vector of hidden units at a time. A ragged tail goes through
/// the same vector code on a zero-padded stack copy, so every hidden unit is computed by the same
/// instructions wherever it sits.
/// </summary>
internal static unsafe class GateKernels<TV, TOps> where TV : unmanaged where TOps : IVectorMath<TV>
{
    private const int MaxLanes = 16;

    /// <summary>Forward over n hidden units; gate rows i, f, g, o start at z, z + n, z + 2n, z + 3n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(int n, float* z, float* cPrev, float* c, float* h)
    {
        int w = TOps.Count, j = 0;
        for (; j + w <= n; j += w)
            ForwardVector(z + j, z + n + j, z + 2 * n + j, z + 3 * n + j, cPrev + j, c + j, h + j);
        int rest = n - j;
        if (rest == 0) return;
        float* t = stackalloc float[7 * MaxLanes];
        new Span<float>(t, 7 * MaxLanes).Clear();
        for (int q = 0; q < rest; q++)
        {
            t[q] = z[j + q]; t[MaxLanes + q] = z[n + j + q]; t[2 * MaxLanes + q] = z[2 * n + j + q];
            t[3 * MaxLanes + q] = z[3 * n + j + q]; t[4 * MaxLanes + q] = cPrev[j + q];
        }
        ForwardVector(t, t + MaxLanes, t + 2 * MaxLanes, t + 3 * MaxLanes, t + 4 * MaxLanes, t + 5 * MaxLanes, t + 6 * MaxLanes);
        for (int q = 0; q < rest; q++)
        {
            z[j + q] = t[q]; z[n + j + q] = t[MaxLanes + q]; z[2 * n + j + q] = t[2 * MaxLanes + q];
            z[3 * n + j + q] = t[3 * MaxLanes + q]; c[j + q] = t[5 * MaxLanes + q]; h[j + q] = t[6 * MaxLanes + q];
        }
    }

    /// <summary>Backward over n hidden units (activations in z in, dL/dz out; dc: dL/dc_t in, dL/dc_{t−1} out).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(int n, float* z, float* c, float* cPrev, float* dh, float* dc)
    {
        int w = TOps.Count, j = 0;
        for (; j + w <= n; j += w)
            BackwardVector(z + j, z + n + j, z + 2 * n + j, z + 3 * n + j, c + j, cPrev + j, dh + j, dc + j);
        int rest = n - j;
        if (rest == 0) return;
        float* t = stackalloc float[8 * MaxLanes];
        new Span<float>(t, 8 * MaxLanes).Clear();
        for (int q = 0; q < rest; q++)
        {
            t[q] = z[j + q]; t[MaxLanes + q] = z[n + j + q]; t[2 * MaxLanes + q] = z[2 * n + j + q];
            t[3 * MaxLanes + q] = z[3 * n + j + q]; t[4 * MaxLanes + q] = c[j + q]; t[5 * MaxLanes + q] = cPrev[j + q];
            t[6 * MaxLanes + q] = dh[j + q]; t[7 * MaxLanes + q] = dc[j + q];
        }
        BackwardVector(t, t + MaxLanes, t + 2 * MaxLanes, t + 3 * MaxLanes,
            t + 4 * MaxLanes, t + 5 * MaxLanes, t + 6 * MaxLanes, t + 7 * MaxLanes);
        for (int q = 0; q < rest; q++)
        {
            z[j + q] = t[q]; z[n + j + q] = t[MaxLanes + q]; z[2 * n + j + q] = t[2 * MaxLanes + q];
            z[3 * n + j + q] = t[3 * MaxLanes + q]; dc[j + q] = t[7 * MaxLanes + q];
        }
    }

    /// <summary>y = f(x) element-wise, f = σ when <paramref name="sigmoid"/>, tanh otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map(int n, float* x, float* y, bool sigmoid)
    {
        int w = TOps.Count, j = 0;
        for (; j + w <= n; j += w) TOps.Store(y + j, Apply(TOps.Load(x + j), sigmoid));
        int rest = n - j;
        if (rest == 0) return;
        float* t = stackalloc float[MaxLanes];
        new Span<float>(t, MaxLanes).Clear();
        new ReadOnlySpan<float>(x + j, rest).CopyTo(new Span<float>(t, rest));
        TOps.Store(t, Apply(TOps.Load(t), sigmoid));
        new ReadOnlySpan<float>(t, rest).CopyTo(new Span<float>(y + j, rest));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Apply(TV x, bool sigmoid) => sigmoid ? VectorMath<TV, TOps>.Sigmoid(x) : VectorMath<TV, TOps>.Tanh(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardVector(float* zi, float* zf, float* zg, float* zo, float* cPrev, float* c, float* h)
    {
        TV i = VectorMath<TV, TOps>.Sigmoid(TOps.Load(zi));
        TV f = VectorMath<TV, TOps>.Sigmoid(TOps.Load(zf));
        TV g = VectorMath<TV, TOps>.Tanh(TOps.Load(zg));
        TV o = VectorMath<TV, TOps>.Sigmoid(TOps.Load(zo));
        TOps.Store(zi, i); TOps.Store(zf, f); TOps.Store(zg, g); TOps.Store(zo, o);
        TV cj = TOps.MultiplyAdd(f, TOps.Load(cPrev), TOps.Multiply(i, g));
        TOps.Store(c, cj);
        TOps.Store(h, TOps.Multiply(o, VectorMath<TV, TOps>.Tanh(cj)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BackwardVector(float* zi, float* zf, float* zg, float* zo, float* c, float* cPrev, float* dh, float* dc)
    {
        TV one = TOps.Create(1f);
        TV i = TOps.Load(zi), f = TOps.Load(zf), g = TOps.Load(zg), o = TOps.Load(zo), d = TOps.Load(dh);
        TV tc = VectorMath<TV, TOps>.Tanh(TOps.Load(c));
        // dcj = dc + dh·o·(1 − tc²)
        TV dcj = TOps.MultiplyAdd(TOps.Multiply(d, o), TOps.Subtract(one, TOps.Multiply(tc, tc)), TOps.Load(dc));
        TOps.Store(zo, TOps.Multiply(TOps.Multiply(d, tc), TOps.Multiply(o, TOps.Subtract(one, o))));
        TOps.Store(zi, TOps.Multiply(TOps.Multiply(dcj, g), TOps.Multiply(i, TOps.Subtract(one, i))));
        TOps.Store(zg, TOps.Multiply(TOps.Multiply(dcj, i), TOps.Subtract(one, TOps.Multiply(g, g))));
        TOps.Store(zf, TOps.Multiply(TOps.Multiply(dcj, TOps.Load(cPrev)), TOps.Multiply(f, TOps.Subtract(one, f))));
        TOps.Store(dc, TOps.Multiply(dcj, f));
    }
}
