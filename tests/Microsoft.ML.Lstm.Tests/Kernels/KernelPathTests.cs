using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Kernels;
using Microsoft.ML.Lstm.Tests.Core;

namespace Microsoft.ML.Lstm.Tests.Kernels;

/// <summary>
/// <see cref="KernelPaths"/>, the one place a vector width is chosen: which paths run here, how the
/// default is forced, and a whole network giving the same bits on every path.
/// </summary>
public class KernelPathTests
{
    [Fact]
    public void Vector128_RunsWhereverItIsAccelerated_IncludingX64AndArm64()
    {
        Assert.Equal(Vector128.IsHardwareAccelerated, KernelPaths.IsSupported(KernelPath.Vector128));
        if (RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64)
            Assert.Contains(KernelPath.Vector128, SimdKernelTests.AvailablePaths());
    }

    [Fact]
    public void Widest_IsTheFirstSupportedPath_AndEachPathHasItsOwnKernels()
    {
        var supported = SimdKernelTests.AvailablePaths();
        Assert.Equal(supported[0], KernelPaths.Widest);
        Assert.Equal(KernelPath.Scalar, supported[^1]);
        Assert.Equal(supported.Length, supported.Select(p => KernelPaths.For(p)).Distinct().Count());
        Assert.Throws<NotSupportedException>(() => KernelPaths.For((KernelPath)99));
    }

    [Fact]
    public void Resolve_ReadsTheForcingVariable()
    {
        Assert.Equal(KernelPaths.Widest, KernelPaths.Resolve(null));
        Assert.Equal(KernelPaths.Widest, KernelPaths.Resolve(" "));
        Assert.Equal(KernelPath.Scalar, KernelPaths.Resolve("scalar"));
        foreach (var path in SimdKernelTests.AvailablePaths())
            Assert.Equal(path, KernelPaths.Resolve(path.ToString().ToUpperInvariant()));
        foreach (var path in Enum.GetValues<KernelPath>().Where(p => !KernelPaths.IsSupported(p)))
            Assert.Throws<NotSupportedException>(() => KernelPaths.Resolve(path.ToString()));
        var e = Assert.Throws<InvalidOperationException>(() => KernelPaths.Resolve("Vector1024"));
        Assert.Contains(KernelPaths.EnvironmentVariable, e.Message);
        Assert.Equal(KernelPaths.Resolve(Environment.GetEnvironmentVariable(KernelPaths.EnvironmentVariable)), KernelPaths.Default);
    }

    [Fact]
    public void ComputeContext_RunsGatesAndProductsOnTheSamePath_AndEveryPathGivesTheSameNetwork()
    {
        var spec = new LstmNetworkSpec
        {
            InputSize = 5, HiddenSize = 19, NumberOfLayers = 2, Bidirectional = true, Head = HeadKind.ManyToMany, OutputSize = 3,
        };
        const int steps = 9;
        var lengths = new[] { 9, 4, 1, 7, 9, 2 };
        PassResult<float> Run(KernelPath path)
        {
            var net = LstmTestKit.CreateNetwork<float>(spec, seed: 5);
            net.Compute = new ComputeContext<float>(2, new SimdMatrixKernels(path));
            var rng = new Rng(8);
            var batch = LstmTestKit.RandomBatch<float>(spec, steps, lengths, rng, initialState: true);
            var dOut = LstmTestKit.Gaussian<float>(rng, steps * lengths.Length * spec.OutputSize);
            return LstmTestKit.Run(net, net.CreateWorkspace(), batch, dOut, training: true, dropoutSeed: 3);
        }
        var expected = Run(KernelPath.Scalar);
        foreach (var path in SimdKernelTests.AvailablePaths())
            LstmTestKit.AssertBitIdentical(expected, Run(path), $"{path} vs Scalar");
    }
}
