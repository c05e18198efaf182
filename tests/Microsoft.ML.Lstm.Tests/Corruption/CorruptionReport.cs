using System.Text;

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
        foreach (var r in results.Where(r => r.Outcome is not (CorruptionOutcome.Refused or CorruptionOutcome.Identical)).Take(60))
            sb.AppendLine($"{r.Outcome}: {r.Kind}, {r.Corruption} ({r.Detail}); {r.Note}; {r.Allocated:N0} bytes");
        return sb.ToString();
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
