using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Lstm.Kernels.Simd;

/// <summary>
/// The handful of vector operations the float GEMM kernels are written with, as static members so that one
/// generic kernel body is specialized by the JIT for each vector width (<see cref="V512"/>,
/// <see cref="V256"/>, <see cref="V128"/>, <see cref="Scalar"/>). Every width performs, per element of C,
/// the same chain of fused multiply-adds in the same order, so all widths give bit-identical results.
/// </summary>
/// <typeparam name="TV">The vector type (<c>Vector512&lt;float&gt;</c>,
/// <c>Vector256&lt;float&gt;</c>, <c>Vector128&lt;float&gt;</c> or <c>float</c>).</typeparam>
internal unsafe interface ISimdOps<TV> where TV : unmanaged
{
    /// <summary>Whether this width runs in hardware here (otherwise the kernels of this width are not used).</summary>
    static abstract bool IsHardwareAccelerated { get; }

    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Unaligned load of <see cref="Count"/> floats.</summary>
    static abstract TV Load(float* p);

    /// <summary>Unaligned store of <see cref="Count"/> floats.</summary>
    static abstract void Store(float* p, TV v);

    /// <summary>All lanes set to <c>*p</c>.</summary>
    static abstract TV Broadcast(float* p);

    /// <summary>a·b + c with a single rounding.</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);

    /// <summary>
    /// Transposes one <see cref="Count"/>×<see cref="Count"/> block: dst[q·ldd + i] = src[i·lds + q].
    /// </summary>
    static abstract void TransposeBlock(float* src, nint lds, float* dst, nint ldd);
}

/// <summary>AVX-512 (or any 512-bit SIMD) operations; requires <see cref="Vector512.IsHardwareAccelerated"/>.</summary>
internal readonly unsafe partial struct V512 : ISimdOps<Vector512<float>>
{
    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;
    public static int Count => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* p) => Vector512.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, Vector512<float> v) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float* p) => Vector512.Create(*p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransposeBlock(float* src, nint lds, float* dst, nint ldd)
    {
        if (!Avx512F.IsSupported)
        {
            Scalar.TransposeGeneric(src, lds, dst, ldd, 16);
            return;
        }
        // Stage 1: interleave row pairs within 128-bit lanes.
        var t0 = Avx512F.UnpackLow(Load(src), Load(src + lds));
        var t1 = Avx512F.UnpackHigh(Load(src), Load(src + lds));
        var t2 = Avx512F.UnpackLow(Load(src + 2 * lds), Load(src + 3 * lds));
        var t3 = Avx512F.UnpackHigh(Load(src + 2 * lds), Load(src + 3 * lds));
        var t4 = Avx512F.UnpackLow(Load(src + 4 * lds), Load(src + 5 * lds));
        var t5 = Avx512F.UnpackHigh(Load(src + 4 * lds), Load(src + 5 * lds));
        var t6 = Avx512F.UnpackLow(Load(src + 6 * lds), Load(src + 7 * lds));
        var t7 = Avx512F.UnpackHigh(Load(src + 6 * lds), Load(src + 7 * lds));
        var t8 = Avx512F.UnpackLow(Load(src + 8 * lds), Load(src + 9 * lds));
        var t9 = Avx512F.UnpackHigh(Load(src + 8 * lds), Load(src + 9 * lds));
        var t10 = Avx512F.UnpackLow(Load(src + 10 * lds), Load(src + 11 * lds));
        var t11 = Avx512F.UnpackHigh(Load(src + 10 * lds), Load(src + 11 * lds));
        var t12 = Avx512F.UnpackLow(Load(src + 12 * lds), Load(src + 13 * lds));
        var t13 = Avx512F.UnpackHigh(Load(src + 12 * lds), Load(src + 13 * lds));
        var t14 = Avx512F.UnpackLow(Load(src + 14 * lds), Load(src + 15 * lds));
        var t15 = Avx512F.UnpackHigh(Load(src + 14 * lds), Load(src + 15 * lds));
        // Stage 2: r[4g + c] lane L holds rows 4g..4g+3 of column 4L + c.
        var r0 = Avx512F.Shuffle(t0, t2, 0x44); var r1 = Avx512F.Shuffle(t0, t2, 0xEE);
        var r2 = Avx512F.Shuffle(t1, t3, 0x44); var r3 = Avx512F.Shuffle(t1, t3, 0xEE);
        var r4 = Avx512F.Shuffle(t4, t6, 0x44); var r5 = Avx512F.Shuffle(t4, t6, 0xEE);
        var r6 = Avx512F.Shuffle(t5, t7, 0x44); var r7 = Avx512F.Shuffle(t5, t7, 0xEE);
        var r8 = Avx512F.Shuffle(t8, t10, 0x44); var r9 = Avx512F.Shuffle(t8, t10, 0xEE);
        var r10 = Avx512F.Shuffle(t9, t11, 0x44); var r11 = Avx512F.Shuffle(t9, t11, 0xEE);
        var r12 = Avx512F.Shuffle(t12, t14, 0x44); var r13 = Avx512F.Shuffle(t12, t14, 0xEE);
        var r14 = Avx512F.Shuffle(t13, t15, 0x44); var r15 = Avx512F.Shuffle(t13, t15, 0xEE);
        // Stage 3 and 4: gather the four 128-bit lanes of each column.
        t0 = Avx512F.Shuffle4x128(r0, r4, 0x88); t4 = Avx512F.Shuffle4x128(r0, r4, 0xDD);
        t1 = Avx512F.Shuffle4x128(r1, r5, 0x88); t5 = Avx512F.Shuffle4x128(r1, r5, 0xDD);
        t2 = Avx512F.Shuffle4x128(r2, r6, 0x88); t6 = Avx512F.Shuffle4x128(r2, r6, 0xDD);
        t3 = Avx512F.Shuffle4x128(r3, r7, 0x88); t7 = Avx512F.Shuffle4x128(r3, r7, 0xDD);
        t8 = Avx512F.Shuffle4x128(r8, r12, 0x88); t12 = Avx512F.Shuffle4x128(r8, r12, 0xDD);
        t9 = Avx512F.Shuffle4x128(r9, r13, 0x88); t13 = Avx512F.Shuffle4x128(r9, r13, 0xDD);
        t10 = Avx512F.Shuffle4x128(r10, r14, 0x88); t14 = Avx512F.Shuffle4x128(r10, r14, 0xDD);
        t11 = Avx512F.Shuffle4x128(r11, r15, 0x88); t15 = Avx512F.Shuffle4x128(r11, r15, 0xDD);
        Store(dst, Avx512F.Shuffle4x128(t0, t8, 0x88));
        Store(dst + ldd, Avx512F.Shuffle4x128(t1, t9, 0x88));
        Store(dst + 2 * ldd, Avx512F.Shuffle4x128(t2, t10, 0x88));
        Store(dst + 3 * ldd, Avx512F.Shuffle4x128(t3, t11, 0x88));
        Store(dst + 4 * ldd, Avx512F.Shuffle4x128(t4, t12, 0x88));
        Store(dst + 5 * ldd, Avx512F.Shuffle4x128(t5, t13, 0x88));
        Store(dst + 6 * ldd, Avx512F.Shuffle4x128(t6, t14, 0x88));
        Store(dst + 7 * ldd, Avx512F.Shuffle4x128(t7, t15, 0x88));
        Store(dst + 8 * ldd, Avx512F.Shuffle4x128(t0, t8, 0xDD));
        Store(dst + 9 * ldd, Avx512F.Shuffle4x128(t1, t9, 0xDD));
        Store(dst + 10 * ldd, Avx512F.Shuffle4x128(t2, t10, 0xDD));
        Store(dst + 11 * ldd, Avx512F.Shuffle4x128(t3, t11, 0xDD));
        Store(dst + 12 * ldd, Avx512F.Shuffle4x128(t4, t12, 0xDD));
        Store(dst + 13 * ldd, Avx512F.Shuffle4x128(t5, t13, 0xDD));
        Store(dst + 14 * ldd, Avx512F.Shuffle4x128(t6, t14, 0xDD));
        Store(dst + 15 * ldd, Avx512F.Shuffle4x128(t7, t15, 0xDD));
    }
}

/// <summary>AVX2-class 256-bit operations; requires <see cref="Vector256.IsHardwareAccelerated"/>.</summary>
internal readonly unsafe partial struct V256 : ISimdOps<Vector256<float>>
{
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;
    public static int Count => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* p) => Vector256.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, Vector256<float> v) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float* p) => Vector256.Create(*p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransposeBlock(float* src, nint lds, float* dst, nint ldd)
    {
        if (!Avx.IsSupported)
        {
            Scalar.TransposeGeneric(src, lds, dst, ldd, 8);
            return;
        }
        var t0 = Avx.UnpackLow(Load(src), Load(src + lds));
        var t1 = Avx.UnpackHigh(Load(src), Load(src + lds));
        var t2 = Avx.UnpackLow(Load(src + 2 * lds), Load(src + 3 * lds));
        var t3 = Avx.UnpackHigh(Load(src + 2 * lds), Load(src + 3 * lds));
        var t4 = Avx.UnpackLow(Load(src + 4 * lds), Load(src + 5 * lds));
        var t5 = Avx.UnpackHigh(Load(src + 4 * lds), Load(src + 5 * lds));
        var t6 = Avx.UnpackLow(Load(src + 6 * lds), Load(src + 7 * lds));
        var t7 = Avx.UnpackHigh(Load(src + 6 * lds), Load(src + 7 * lds));
        // u[4g + c] lane L holds rows 4g..4g+3 of column 4L + c.
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Store(dst + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Store(dst + 2 * ldd, Avx.Permute2x128(u2, u6, 0x20));
        Store(dst + 3 * ldd, Avx.Permute2x128(u3, u7, 0x20));
        Store(dst + 4 * ldd, Avx.Permute2x128(u0, u4, 0x31));
        Store(dst + 5 * ldd, Avx.Permute2x128(u1, u5, 0x31));
        Store(dst + 6 * ldd, Avx.Permute2x128(u2, u6, 0x31));
        Store(dst + 7 * ldd, Avx.Permute2x128(u3, u7, 0x31));
    }
}

/// <summary>
/// 128-bit operations (SSE/AVX on x64, AdvSimd on ARM64); requires <see cref="Vector128.IsHardwareAccelerated"/>.
/// </summary>
internal readonly unsafe partial struct V128 : ISimdOps<Vector128<float>>
{
    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;
    public static int Count => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* p) => Vector128.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, Vector128<float> v) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float* p) => Vector128.Create(*p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Vector128.FusedMultiplyAdd(a, b, c);

    /// <summary>4 × 4 transpose in two rounds of interleaves (SSE unpcklps/unpckhps, ARM64 zip1/zip2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposeBlock(float* src, nint lds, float* dst, nint ldd)
    {
        if (!Sse.IsSupported && !AdvSimd.Arm64.IsSupported)
        {
            Scalar.TransposeGeneric(src, lds, dst, ldd, 4);
            return;
        }
        Vector128<float> r0 = Load(src), r1 = Load(src + lds), r2 = Load(src + 2 * lds), r3 = Load(src + 3 * lds);
        // t0 = [r0₀ r2₀ r0₁ r2₁], t1 = [r0₂ r2₂ r0₃ r2₃], t2 and t3 the same for rows 1 and 3.
        var t0 = ZipLow(r0, r2); var t1 = ZipHigh(r0, r2);
        var t2 = ZipLow(r1, r3); var t3 = ZipHigh(r1, r3);
        Store(dst, ZipLow(t0, t2));
        Store(dst + ldd, ZipHigh(t0, t2));
        Store(dst + 2 * ldd, ZipLow(t1, t3));
        Store(dst + 3 * ldd, ZipHigh(t1, t3));
    }

    /// <summary>[a₀ b₀ a₁ b₁].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ZipLow(Vector128<float> a, Vector128<float> b) =>
        Sse.IsSupported ? Sse.UnpackLow(a, b) : AdvSimd.Arm64.ZipLow(a, b);

    /// <summary>[a₂ b₂ a₃ b₃].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ZipHigh(Vector128<float> a, Vector128<float> b) =>
        Sse.IsSupported ? Sse.UnpackHigh(a, b) : AdvSimd.Arm64.ZipHigh(a, b);
}

/// <summary>Scalar operations: one float per "vector", fused multiply-add through <see cref="MathF.FusedMultiplyAdd"/>.</summary>
internal readonly unsafe partial struct Scalar : ISimdOps<float>
{
    public static bool IsHardwareAccelerated => true;
    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(float* p) => *p;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, float v) => *p = v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float* p) => *p;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposeBlock(float* src, nint lds, float* dst, nint ldd) => *dst = *src;

    /// <summary>Element-by-element transpose of a size×size block (fallback and edges).</summary>
    public static void TransposeGeneric(float* src, nint lds, float* dst, nint ldd, int size)
    {
        for (int q = 0; q < size; q++)
            for (int i = 0; i < size; i++)
                dst[q * ldd + i] = src[i * lds + q];
    }
}
