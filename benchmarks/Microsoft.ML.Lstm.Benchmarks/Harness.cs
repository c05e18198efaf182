using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Microsoft.ML.Lstm.Benchmarks;

/// <summary>How long a child process warms up and measures.</summary>
/// <param name="WarmupSeconds">Warm-up time (at least 3 calls), so JIT tiering, allocators and thread pools settle.</param>
/// <param name="MeasureSeconds">Measuring time; measuring stops once it has passed and <paramref name="MinReps"/> calls are done.</param>
/// <param name="MinReps">Fewest timed calls.</param>
/// <param name="MaxReps">Most timed calls.</param>
internal sealed record Budget(double WarmupSeconds, double MeasureSeconds, int MinReps, int MaxReps)
{
    /// <summary>The --quick budget.</summary>
    public static readonly Budget Quick = new(0.3, 1.0, 5, 300);

    /// <summary>The full budget.</summary>
    public static readonly Budget Full = new(0.6, 2.5, 10, 2000);

    /// <summary>As command-line options for a child.</summary>
    public string[] ToArgs() =>
        ["--warmup", Inv(WarmupSeconds), "--measure", Inv(MeasureSeconds),
            "--min-reps", MinReps.ToString(), "--max-reps", MaxReps.ToString()];

    private static string Inv(double v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What one child process reports on its RESULT line.</summary>
internal sealed class ChildResult
{
    /// <summary>Median time per call in this process, ms.</summary>
    [JsonPropertyName("median_ms")] public double MedianMs { get; set; }

    /// <summary>Fastest call in this process, ms.</summary>
    [JsonPropertyName("min_ms")] public double MinMs { get; set; }

    /// <summary>Timed calls.</summary>
    [JsonPropertyName("reps")] public int Reps { get; set; }

    /// <summary>Max |peer − ours| of the inference outputs before timing (null for ours).</summary>
    [JsonPropertyName("max_abs_diff")] public double? MaxAbsDiff { get; set; }

    /// <summary>Process.PeakWorkingSet64 after the calls, bytes.</summary>
    [JsonPropertyName("peak_ws")] public long PeakWorkingSet { get; set; }

    /// <summary>Why the child failed, or null.</summary>
    [JsonPropertyName("error")] public string? Error { get; set; }

    /// <summary>The line prefix the parent looks for.</summary>
    public const string Prefix = "RESULT ";

    /// <summary>Serializes to one line.</summary>
    public string ToLine() => Prefix + JsonSerializer.Serialize(this);

    /// <summary>Parses a RESULT line, or returns null.</summary>
    public static ChildResult? Parse(string? line) =>
        line is not null && line.StartsWith(Prefix, StringComparison.Ordinal)
            ? JsonSerializer.Deserialize<ChildResult>(line[Prefix.Length..])
            : null;
}

/// <summary>The child side: sets one engine up for one shape and mode, checks it, warms up and times it.</summary>
internal static class Harness
{
    /// <summary>Training steps before the memory probe reads the peak working set.</summary>
    public const int MemorySteps = 3;

    /// <summary>Largest allowed |peer − ours| of the outputs.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>Runs in a child process; prints one RESULT line. Returns the exit code.</summary>
    public static int RunChild(string engine, Shape shape, string mode, Budget budget)
    {
        var result = new ChildResult();
        try
        {
            if (mode == "mem") return RunMemory(engine, shape, result);
            Modes.Check(mode);
            if (!Engines.Supports(engine, mode)) throw new ArgumentException($"{engine} does not run {mode}.");
            var problem = new Problem(shape);
            var reference = problem.ReferenceOutput();
            using var e = Engines.Create(engine, problem);
            if (engine != Engines.Ours)
            {
                var output = e.InferOutput();
                result.MaxAbsDiff = MaxAbsDiff(reference, output);
                if (!(result.MaxAbsDiff <= Tolerance))
                    throw new InvalidOperationException(
                        $"{engine} disagrees with ours: max |diff| = {result.MaxAbsDiff:G3} > {Tolerance:G1}; not timed.");
            }
            Record(result, Time(e.Operation(mode), budget));
        }
        catch (Exception ex)
        {
            Fail(result, ex);
        }
        return Report(result);
    }

    /// <summary>Stores the sorted times, their median and minimum, and the peak working set.</summary>
    private static void Record(ChildResult result, List<double> times)
    {
        times.Sort();
        result.Reps = times.Count;
        result.MedianMs = Stats.Median(times);
        result.MinMs = times[0];
        result.PeakWorkingSet = PeakWorkingSet();
    }

    private static void Fail(ChildResult result, Exception ex)
    {
        result.Error = $"{ex.GetType().Name}: {ex.Message}".ReplaceLineEndings(" ");
        Console.Error.WriteLine(ex);
    }

    private static int Report(ChildResult result)
    {
        Console.WriteLine(result.ToLine());
        return result.Error is null ? 0 : 3;
    }

    /// <summary>Per-call times (ms) of <paramref name="op"/> after the warm-up.</summary>
    public static List<double> Time(Action op, Budget budget)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 3 || clock.Elapsed.TotalSeconds < budget.WarmupSeconds; i++) op();
        var times = new List<double>();
        clock.Restart();
        while (times.Count < budget.MaxReps && (times.Count < budget.MinReps || clock.Elapsed.TotalSeconds < budget.MeasureSeconds))
        {
            long t0 = Stopwatch.GetTimestamp();
            op();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        return times;
    }

    /// <summary>
    /// <see cref="MemorySteps"/> training steps on <paramref name="shape"/>,
    /// then the peak working set (buffers are reused after the first step).
    /// </summary>
    private static int RunMemory(string engine, Shape shape, ChildResult result)
    {
        try
        {
            var problem = new Problem(shape);
            using var e = Engines.Create(engine, problem);
            var step = e.Operation(Modes.Train);
            var times = new List<double>();
            for (int i = 0; i < MemorySteps; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                step();
                if (i > 0) times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
            Record(result, times);
        }
        catch (Exception ex)
        {
            Fail(result, ex);
        }
        return Report(result);
    }

    private static long PeakWorkingSet()
    {
        using var p = Process.GetCurrentProcess();
        return p.PeakWorkingSet64;
    }

    private static double MaxAbsDiff(float[] a, float[] b)
    {
        if (a.Length != b.Length) return double.PositiveInfinity;
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs((double)a[i] - b[i]));
        return double.IsNaN(m) ? double.PositiveInfinity : m;
    }
}

/// <summary>Order statistics.</summary>
internal static class Stats
{
    /// <summary>Median of a list (sorted or not).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var s = values.OrderBy(v => v).ToArray();
        int n = s.Length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
