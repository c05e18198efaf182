using System.Runtime.Intrinsics;
using Microsoft.ML.Lstm.Kernels.Simd;

namespace Microsoft.ML.Lstm.Kernels;

/// <summary>The vector width the float kernels run on, widest first. Every path gives the same bits.</summary>
internal enum KernelPath
{
    /// <summary>512-bit vectors (AVX-512): 4-row × 64-column register tiles.</summary>
    Vector512,

    /// <summary>256-bit vectors (AVX2): 4-row × 32-column register tiles.</summary>
    Vector256,

    /// <summary>128-bit vectors (SSE on x64, AdvSimd on ARM64): 4-row × 16-column register tiles.</summary>
    Vector128,

    /// <summary>Portable scalar code, the readable specification: 4-row × 4-column register tiles.</summary>
    Scalar,
}

/// <summary>
/// The one place a vector width is chosen. <see cref="For"/> maps a <see cref="KernelPath"/> to the
/// kernels of that width (<see cref="IWidthKernels"/>); <see cref="Default"/> is resolved once per
/// process: the path named by the <c>MLNET_LSTM_KERNEL_PATH</c> environment variable (Vector512, Vector256,
/// Vector128 or Scalar, any case) when it is set, otherwise the widest path this machine accelerates.
/// </summary>
internal static class KernelPaths
{
    /// <summary>The environment variable that forces <see cref="Default"/> (for tests and benchmarks).</summary>
    public const string EnvironmentVariable = "MLNET_LSTM_KERNEL_PATH";

    private static KernelPath? s_default;

    /// <summary>The path of kernels created without one: forced by <see cref="EnvironmentVariable"/>, or <see cref="Widest"/>.</summary>
    /// <exception cref="InvalidOperationException">The variable names no path.</exception>
    /// <exception cref="NotSupportedException">The variable names a path this machine does not accelerate.</exception>
    public static KernelPath Default => s_default ??= Resolve(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The widest path this machine accelerates (Scalar always runs).</summary>
    public static KernelPath Widest => Enum.GetValues<KernelPath>().First(IsSupported);

    /// <summary>Whether <paramref name="path"/> can run here.</summary>
    public static bool IsSupported(KernelPath path) => Find(path) is { IsHardwareAccelerated: true };

    /// <summary>The kernels of <paramref name="path"/>.</summary>
    /// <exception cref="NotSupportedException">The path is not hardware-accelerated on this machine.</exception>
    public static IWidthKernels For(KernelPath path) =>
        Find(path) is { IsHardwareAccelerated: true } kernels ? kernels
            : throw new NotSupportedException($"Kernel path {path} is not hardware-accelerated on this machine.");

    /// <summary>The path a value of <see cref="EnvironmentVariable"/> names; <see cref="Widest"/> when it is null or empty.</summary>
    internal static KernelPath Resolve(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return Widest;
        foreach (var path in Enum.GetValues<KernelPath>())
            if (string.Equals(path.ToString(), name.Trim(), StringComparison.OrdinalIgnoreCase))
                return IsSupported(path)
                    ? path
                    : throw new NotSupportedException($"{EnvironmentVariable}={name}: {path} is not hardware-accelerated on this machine.");
        throw new InvalidOperationException(
            $"{EnvironmentVariable}={name}: expected one of {string.Join(", ", Enum.GetNames<KernelPath>())}.");
    }

    private static IWidthKernels? Find(KernelPath path) => path switch
    {
        KernelPath.Vector512 => WidthKernels<Vector512<float>, V512>.Instance,
        KernelPath.Vector256 => WidthKernels<Vector256<float>, V256>.Instance,
        KernelPath.Vector128 => WidthKernels<Vector128<float>, V128>.Instance,
        KernelPath.Scalar => WidthKernels<float, Scalar>.Instance,
        _ => null,
    };
}
