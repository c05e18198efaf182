using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Lstm.Benchmarks;

/// <summary>
/// The machine's FP32 FMA peak, measured in-process: 12 independent Vector512 FMA chains per thread
/// (enough to cover FMA latency × pipes on current x64 cores), best of a few runs.
/// </summary>
internal static class Peak
{
    private const int Chains = 12;

    /// <summary>GFLOP/s of <paramref name="threads"/> threads running the FMA loop together (0 if Vector512 is not accelerated).</summary>
    public static double Measure(int threads, int runs = 5, long iterations = 20_000_000)
    {
        if (!Vector512.IsHardwareAccelerated) return 0;
        Loop(10_000); // JIT
        double best = 0;
        for (int r = 0; r < runs; r++)
        {
            using var start = new Barrier(threads + 1);
            var workers = Enumerable.Range(0, threads)
                .Select(_ => new Thread(() => { start.SignalAndWait(); Loop(iterations); })).ToArray();
            foreach (var w in workers) w.Start();
            start.SignalAndWait();
            var clock = Stopwatch.StartNew();
            foreach (var w in workers) w.Join();
            double seconds = clock.Elapsed.TotalSeconds;
            double flops = (double)threads * iterations * Chains * Vector512<float>.Count * 2;
            best = Math.Max(best, flops / seconds / 1e9);
        }
        return best;
    }

    /// <summary>The 1-minute load average (Linux), or null when unknown.</summary>
    public static double? LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>
    /// A warning when other processes compete for the cores (load average ≥ cores − 0.5 while this program
    /// idles, or 2 threads reach less than 1.6× the 1-thread peak), else null. libtorch's OpenMP threads
    /// slow down by orders of magnitude when they lose their cores, so such a run says little.
    /// </summary>
    public static string? BusyWarning(double peak1, double peak2)
    {
        double? load = LoadAverage();
        bool busy = load >= Environment.ProcessorCount - 0.5 || (peak1 > 0 && peak2 < 1.6 * peak1);
        return busy ? $"WARNING: the machine is busy (load average {load?.ToString("F1") ?? "?"} on {Environment.ProcessorCount} cores, " +
            $"2-thread peak {peak2 / Math.Max(peak1, 1e-9):F2}× the 1-thread peak): timings are unreliable, TorchSharp's most of all."
                : null;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop(long iterations)
    {
        var m = Vector512.Create(0.9999999f);
        var c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0,
            a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }
        var sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
        return Vector512.Sum(sum);
    }
}
