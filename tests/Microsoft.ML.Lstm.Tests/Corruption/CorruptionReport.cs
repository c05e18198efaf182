using System.Text;
using System.Text.RegularExpressions;

namespace Microsoft.ML.Lstm.Tests.Corruption;

/// <summary>Tallies of a corruption run per model kind and per corruption kind, by outcome, and the cases that failed.</summary>
internal static class CorruptionReport
{
    public static string Format(IReadOnlyList<CorruptionResult> results, TimeSpan elapsed)
    {
        var outcomes = Enum.GetValues<CorruptionOutcome>();
        var sb = new StringBuilder();
        sb.AppendLine($"{results.Count} cases in {elapsed.TotalSeconds:F1} s");
        Table(sb, "model kind", results.GroupBy(r => r.Kind), outcomes);
        Table(sb, "corruption", results.GroupBy(r => r.Corruption.ToString()), outcomes);
        Table(sb, "all", results.GroupBy(_ => "all"), outcomes);
        sb.AppendLine($"largest allocation: {results.Max(r => r.Allocated):N0} bytes; " +
            $"largest share of its allowance: {results.Max(r => (double)r.Allocated / r.Allowance):P0}");
        Breakdown(sb, "refused, by the field named", results.Where(r => r.Outcome == CorruptionOutcome.Refused)
            .Select(r => Field.Match(r.Note) is { Success: true } m ? $"field '{m.Groups[1].Value}'" : Short(r.Note)));
        Breakdown(sb, "refused by ML.NET, by exception", results.Where(r => r.Outcome == CorruptionOutcome.RefusedByMLNet)
            .Select(r => $"{r.Corruption}, {Short(r.Note).Split(':')[0]}"));
        foreach (var r in results.Where(r => r.Outcome is not (CorruptionOutcome.Refused or CorruptionOutcome.Identical
            or CorruptionOutcome.RefusedByMLNet)).Take(60))
            sb.AppendLine($"{r.Outcome}: {r.Kind}, {r.Corruption} ({r.Detail}); {r.Note}; {r.Allocated:N0} bytes");
        return sb.ToString();
    }

    private static readonly Regex Field = new("field '([^']+)'", RegexOptions.Compiled);

    /// <summary>The exception type and the start of the last message of a case's note ("case c: Type: message | … | last").</summary>
    private static string Short(string note)
    {
        string[] parts = note.Split(": ", 3);
        string last = parts.Length < 3 ? "" : parts[2].Split(" | ")[^1];
        return $"{parts[1]}: {(last.Length > 70 ? last[..70] + "…" : last)}";
    }

    private static void Breakdown(StringBuilder sb, string title, IEnumerable<string> keys)
    {
        sb.AppendLine($"{title}:");
        foreach (var g in keys.GroupBy(k => k).OrderByDescending(g => g.Count()).Take(15)) sb.AppendLine($"  {g.Count(),5}  {g.Key}");
    }

    private static void Table(StringBuilder sb, string title, IEnumerable<IGrouping<string, CorruptionResult>> groups,
        CorruptionOutcome[] outcomes)
    {
        sb.Append($"| {title} |").AppendJoin("", outcomes.Select(o => $" {o} |")).AppendLine(" total |");
        sb.Append("|---|").AppendJoin("", outcomes.Select(_ => "---:|")).AppendLine("---:|");
        foreach (var g in groups)
            sb.Append($"| {g.Key} |").AppendJoin("", outcomes.Select(o => $" {g.Count(r => r.Outcome == o)} |"))
                .AppendLine($" {g.Count()} |");
        sb.AppendLine();
    }
}
