using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Microsoft.ML.Lstm.Benchmarks;

/// <summary>The markdown table and the JSON file.</summary>
internal static class Report
{
    /// <summary>
    /// The markdown table: per cell, median and best per-process median, GFLOP/s at both, % of the
    /// 2-thread peak at the best, and ours / peer time ratios (&lt; 1: ours is faster).
    /// </summary>
    public static string Table(IReadOnlyList<Cell> cells, double peak2)
    {
        var sb = new StringBuilder();
        sb.AppendLine(
            "| shape | mode | engine | procs | median ms | best ms | GFLOP/s median / best | % peak (best) | ours/peer median | " +
            "ours/peer best | max abs diff |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var c in cells)
        {
            var ours = cells.FirstOrDefault(o => o.Shape == c.Shape && o.Mode == c.Mode && o.Engine == Engines.Ours);
            bool peer = c.Engine != Engines.Ours && ours is not null;
            if (c.Runs.Count == 0)
            {
                sb.AppendLine(
                    $"| {c.Shape.Name} | {c.Mode} | {c.Engine} | 0 | failed: {Escape(c.Errors.FirstOrDefault() ?? "not run")} | | | | | " +
                    "| |");
                continue;
            }
            double flops = c.Shape.Flops(c.Mode);
            string threads = c.Engine == Engines.Ort && Engines.Threads(c.Engine, c.Shape) == 1 ? " (1 thread)" : "";
            sb.Append($"| {c.Shape.Name} | {c.Mode} | {c.Engine}{threads} | {c.Runs.Count} | {F(c.MedianMs)} | {F(c.BestMs)} | ");
            sb.Append($"{Gflops(flops, c.MedianMs):F1} / {Gflops(flops, c.BestMs):F1} | {Pct(Gflops(flops, c.BestMs), peak2)} | ");
            sb.Append(peer ? $"{Ratio(ours!.MedianMs, c.MedianMs)} | {Ratio(ours.BestMs, c.BestMs)} | " : "— | — | ");
            sb.AppendLine(c.MaxAbsDiff is double d ? $"{d:G2} |" : "— |");
        }
        return sb.ToString();
    }

    /// <summary>The memory table (peak working set after training steps).</summary>
    public static string MemoryTable(IEnumerable<(Shape Shape, string Engine, ChildResult Result)> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| shape | engine | peak working set | train step (after 1st) |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var (shape, engine, r) in rows)
            sb.AppendLine(r.Error is null
                ? $"| {shape} | {engine} | {r.PeakWorkingSet / 1048576.0:F0} MiB | {F(r.MedianMs)} ms |"
                : $"| {shape} | {engine} | failed: {Escape(r.Error)} | |");
        return sb.ToString();
    }

    /// <summary>Writes the JSON array of { shape, mode, engine, median_ms, best_ms, gflops, … }.</summary>
    public static void WriteJson(string path, IReadOnlyList<Cell> cells, double peak1, double peak2)
    {
        var rows = cells.Where(c => c.Runs.Count > 0).Select(c =>
        {
            double flops = c.Shape.Flops(c.Mode);
            return new JsonRow
            {
                Shape = c.Shape.Name,
                Mode = c.Mode,
                Engine = c.Engine,
                MedianMs = Round(c.MedianMs),
                BestMs = Round(c.BestMs),
                Gflops = Round(Gflops(flops, c.MedianMs)),
                GflopsBest = Round(Gflops(flops, c.BestMs)),
                PeakGflops = Round(peak2),
                PeakGflops1Thread = Round(peak1),
                Processes = c.Runs.Count,
                Threads = Engines.Threads(c.Engine, c.Shape),
                MaxAbsDiff = c.MaxAbsDiff,
            };
        }).ToList();
        var options = new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        File.WriteAllText(path, JsonSerializer.Serialize(rows, options) + Environment.NewLine);
    }

    private sealed class JsonRow
    {
        [JsonPropertyName("shape")] public string Shape { get; init; } = "";
        [JsonPropertyName("mode")] public string Mode { get; init; } = "";
        [JsonPropertyName("engine")] public string Engine { get; init; } = "";
        [JsonPropertyName("median_ms")] public double MedianMs { get; init; }
        [JsonPropertyName("best_ms")] public double BestMs { get; init; }
        [JsonPropertyName("gflops")] public double Gflops { get; init; }
        [JsonPropertyName("gflops_best")] public double GflopsBest { get; init; }
        [JsonPropertyName("peak_gflops")] public double PeakGflops { get; init; }
        [JsonPropertyName("peak_gflops_1thread")] public double PeakGflops1Thread { get; init; }
        [JsonPropertyName("processes")] public int Processes { get; init; }
        [JsonPropertyName("threads")] public int Threads { get; init; }
        [JsonPropertyName("max_abs_diff")] public double? MaxAbsDiff { get; init; }
    }

    /// <summary>GFLOP/s of <paramref name="flops"/> done in <paramref name="ms"/> milliseconds.</summary>
    public static double Gflops(double flops, double ms) => flops / (ms * 1e-3) / 1e9;

    private static string Pct(double gflops, double peak) => peak > 0 ? $"{100 * gflops / peak:F0}%" : "n/a";

    private static string Ratio(double ours, double peer) => (ours / peer).ToString("F2", CultureInfo.InvariantCulture) + "×";

    private static string F(double ms) => ms >= 100 ? ms.ToString("F1", CultureInfo.InvariantCulture)
        : ms >= 1 ? ms.ToString("F2", CultureInfo.InvariantCulture) : ms.ToString("F3", CultureInfo.InvariantCulture);

    private static double Round(double v) => Math.Round(v, 4);

    private static string Escape(string s) => s.Replace("|", "\\|");
}
