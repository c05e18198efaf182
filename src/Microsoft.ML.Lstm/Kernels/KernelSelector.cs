using System.Numerics;

namespace Microsoft.ML.Lstm.Kernels;

/// <summary>Picks the fastest matrix kernels available for an element type on this machine.</summary>
internal static class KernelSelector
{
    /// <summary>
    /// <see cref="SimdMatrixKernels.Shared"/> (on <see cref="KernelPaths.Default"/>) for float;
    /// <see cref="ReferenceMatrixKernels{T}"/> for double and any other type.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    public static IMatrixKernels<T> Best<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? (IMatrixKernels<T>)(object)SimdMatrixKernels.Shared : ReferenceMatrixKernels<T>.Instance;
}
