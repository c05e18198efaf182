namespace Microsoft.ML.Lstm.Kernels.Simd;

/// <summary>
/// Every float kernel of one vector width, behind one interface: <see cref="KernelPaths.For"/> picks the
/// width once and callers hold the result, so no other code branches on the width.
/// </summary>
internal unsafe interface IWidthKernels
{
    /// <summary>Whether this width runs in hardware on this machine.</summary>
    bool IsHardwareAccelerated { get; }

    /// <summary>Panels of a packed operand with n columns (<see cref="SimdGemm{TV, TOps}.PanelCount"/>).</summary>
    int PanelCount(int n);

    /// <summary>Floats of the packed form of a k × n operand (<see cref="SimdGemm{TV, TOps}.PackedLength"/>).</summary>
    long PackedLength(int n, int k);

    /// <summary>Packs panels [panel0, panel1) of all k rows of B (<see cref="SimdGemm{TV, TOps}.Pack"/>).</summary>
    void Pack(int n, int k, float* b, nint ldb, BLayout layout, float* dst, int panel0, int panel1);

    /// <summary>C (+)= A·B (<see cref="SimdGemm{TV, TOps}.Run"/>).</summary>
    void Gemm(int m, int n, int k, float* a, nint rs, nint ps, float* b, nint ldb, BLayout layout, float* c, nint ldc, bool accumulate);

    /// <summary>C = bias + A1·B1 + A2·B2 on packed operands (<see cref="SimdGemm{TV, TOps}.RunPair"/>).</summary>
    void GemmPair(int m, int n, int k1, float* a1, nint lda1, float* b1, int k2,
        float* a2, nint lda2, float* b2, float* bias, float* c, nint ldc);

    /// <summary>The element-wise LSTM step forward (<see cref="GateKernels{TV, TOps}.Forward"/>).</summary>
    void GateForward(int n, float* z, float* cPrev, float* c, float* h);

    /// <summary>The element-wise LSTM step backward (<see cref="GateKernels{TV, TOps}.Backward"/>).</summary>
    void GateBackward(int n, float* z, float* c, float* cPrev, float* dh, float* dc);

    /// <summary>y = σ(x) or tanh(x) element-wise (<see cref="GateKernels{TV, TOps}.Map"/>).</summary>
    void Map(int n, float* x, float* y, bool sigmoid);
}

/// <summary>The kernels of one width: each member forwards to the generic kernel specialized for it.</summary>
/// <typeparam name="TV">The vector type.</typeparam>
/// <typeparam name="TOps">Its operations.</typeparam>
internal sealed unsafe class WidthKernels<TV, TOps> : IWidthKernels where TV : unmanaged where TOps : IVectorMath<TV>
{
    /// <summary>The only instance.</summary>
    public static readonly WidthKernels<TV, TOps> Instance = new();

    private WidthKernels() { }

    public bool IsHardwareAccelerated => TOps.IsHardwareAccelerated;

    public int PanelCount(int n) => SimdGemm<TV, TOps>.PanelCount(n);

    public long PackedLength(int n, int k) => SimdGemm<TV, TOps>.PackedLength(n, k);

    public void Pack(int n, int k, float* b, nint ldb, BLayout layout, float* dst, int panel0, int panel1) =>
        SimdGemm<TV, TOps>.Pack(n, 0, k, b, ldb, layout, dst, panel0, panel1);

    public void Gemm(int m, int n, int k, float* a, nint rs, nint ps, float* b,
        nint ldb, BLayout layout, float* c, nint ldc, bool accumulate) =>
        SimdGemm<TV, TOps>.Run(m, n, k, a, rs, ps, b, ldb, layout, c, ldc, accumulate);

    public void GemmPair(int m, int n, int k1, float* a1, nint lda1, float* b1,
        int k2, float* a2, nint lda2, float* b2, float* bias, float* c, nint ldc) =>
        SimdGemm<TV, TOps>.RunPair(m, n, k1, a1, lda1, b1, k2, a2, lda2, b2, bias, c, ldc);

    public void GateForward(int n, float* z, float* cPrev, float* c, float* h) => GateKernels<TV, TOps>.Forward(n, z, cPrev, c, h);

    public void GateBackward(int n, float* z, float* c, float* cPrev, float* dh, float* dc) =>
        GateKernels<TV, TOps>.Backward(n, z, c, cPrev, dh, dc);

    public void Map(int n, float* x, float* y, bool sigmoid) => GateKernels<TV, TOps>.Map(n, x, y, sigmoid);
}
