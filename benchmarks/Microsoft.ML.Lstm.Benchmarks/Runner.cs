using System.Diagnostics;
using System.Reflection;

namespace Microsoft.ML.Lstm.Benchmarks;

/// <summary>What the parent runs: which shapes, modes, engines, how many processes each, and the child budget.</summary>
internal sealed record Plan(IReadOnlyList<Shape> Shapes, IReadOnlyList<string> ModeList, IReadOnlyList<string> EngineList,
    int Processes, Budget Budget, bool Memory);

/// <summary>All process results of one (shape, mode, engine) cell.</summary>
internal sealed class Cell(Shape shape, string mode, string engine)
{
    /// <summary>The shape.</summary>
    public Shape Shape { get; } = shape;

    /// <summary>train or infer.</summary>
    public string Mode { get; } = mode;

    /// <summary>The engine.</summary>
    public string Engine { get; } = engine;

    /// <summary>One entry per child process that succeeded.</summary>
    public List<ChildResult> Runs { get; } = [];

    /// <summary>Errors of failed child processes.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Median of the per-process medians, ms.</summary>
    public double MedianMs => Stats.Median(Runs.Select(r => r.MedianMs).ToArray());

    /// <summary>Best (lowest) per-process median, ms.</summary>
    public double BestMs => Runs.Count == 0 ? double.NaN : Runs.Min(r => r.MedianMs);

    /// <summary>Largest output difference to ours seen by any process.</summary>
    public double? MaxAbsDiff => Runs.Max(r => r.MaxAbsDiff);
}

/// <summary>
/// The parent side: runs every (shape, mode, engine) cell in its own child process (the same executable
/// with --child engine shape mode), interleaved: each round runs every cell once, engines in rotating order,
/// so slow drifts of a shared, noisy machine hit all engines alike.
/// </summary>
internal static class Runner
{
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs the plan; returns the cells in table order.</summary>
    public static List<Cell> Run(Plan plan)
    {
        var cells = new List<Cell>();
        foreach (var shape in plan.Shapes)
            foreach (var mode in plan.ModeList)
                foreach (var engine in plan.EngineList.Where(e => Engines.Supports(e, mode)))
                    cells.Add(new Cell(shape, mode, engine));
        int total = cells.Count * plan.Processes, done = 0;
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < plan.Processes; round++)
            foreach (var group in cells.GroupBy(c => (c.Shape, c.Mode)))
            {
                var order = group.ToArray();
                for (int k = 0; k < order.Length; k++)
                {
                    var cell = order[(k + round) % order.Length];
                    var r = RunChild([cell.Engine, cell.Shape.Name, cell.Mode, .. plan.Budget.ToArgs()]);
                    if (r.Error is null) cell.Runs.Add(r); else cell.Errors.Add(r.Error);
                    done++;
                    Console.Error.WriteLine(
                        $"[{clock.Elapsed:mm\\:ss}] {done}/{total} round {round + 1}: {cell.Shape.Name} {cell.Mode,-5} {cell.Engine,-12} " +
                        (r.Error is null ? $"{r.MedianMs,9:F3} ms median ({r.Reps} reps)" : "FAILED: " + r.Error));
                }
            }
        return cells;
    }

    /// <summary>Peak working set after training steps, per (shape, engine), in a fresh process each.</summary>
    public static List<(Shape Shape, string Engine, ChildResult Result)> RunMemory(IEnumerable<Shape> shapes, IEnumerable<string> engines)
    {
        var list = new List<(Shape, string, ChildResult)>();
        foreach (var shape in shapes)
            foreach (var engine in engines)
            {
                var r = RunChild([engine, shape.Name, "mem"]);
                Console.Error.WriteLine($"memory {shape.Name} {engine}: " +
                    (r.Error ?? $"{r.PeakWorkingSet / 1048576.0:F0} MiB, {r.MedianMs:F1} ms/step"));
                list.Add((shape, engine, r));
            }
        return list;
    }

    /// <summary>Launches this program with --child and the given arguments; returns its RESULT (or an error).</summary>
    public static ChildResult RunChild(string[] childArgs)
    {
        var (exe, prefix) = SelfCommand();
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in prefix.Append("--child").Concat(childArgs)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {exe}.");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(ChildTimeout))
        {
            p.Kill(entireProcessTree: true);
            return new ChildResult { Error = $"timed out after {ChildTimeout.TotalMinutes} min" };
        }
        p.WaitForExit();
        var line = stdout.Result.Split('\n').Select(l => l.TrimEnd('\r'))
            .LastOrDefault(l => l.StartsWith(ChildResult.Prefix, StringComparison.Ordinal));
        var result = ChildResult.Parse(line);
        if (result is null)
        {
            string err = stderr.Result.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
            return new ChildResult { Error = $"exit code {p.ExitCode}, no result. {err}" };
        }
        return result;
    }

    /// <summary>The command that starts this program again: the apphost, or dotnet + the entry assembly.</summary>
    private static (string Exe, string[] Prefix) SelfCommand()
    {
        string exe = Environment.ProcessPath ?? throw new InvalidOperationException("Unknown process path.");
        bool viaDotnet = Path.GetFileNameWithoutExtension(exe).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return viaDotnet ? (exe, [Assembly.GetEntryAssembly()!.Location]) : (exe, []);
    }
}
