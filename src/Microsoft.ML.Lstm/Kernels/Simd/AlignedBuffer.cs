using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Lstm.Kernels.Simd;

/// <summary>Pinned, 64-byte-aligned float storage (never moved by the GC, so raw pointers stay valid).</summary>
internal sealed unsafe class AlignedBuffer
{
    private readonly float[] _array;

    /// <summary>Allocates room for <paramref name="length"/> floats.</summary>
    public AlignedBuffer(long length)
    {
        Length = length;
        _array = GC.AllocateUninitializedArray<float>(checked((int)(length + 16)), pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
        Pointer = (float*)((address + 63) & ~(nint)63);
    }

    /// <summary>Usable length in floats.</summary>
    public long Length { get; }

    /// <summary>Start of the aligned storage.</summary>
    public float* Pointer { get; }
}
