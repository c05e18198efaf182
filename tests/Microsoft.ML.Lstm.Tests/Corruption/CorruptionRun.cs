namespace Microsoft.ML.Lstm.Tests.Corruption;

/// <summary>How a corrupted case ended.</summary>
internal enum CorruptionOutcome
{
    /// <summary>A clear exception: an InvalidDataException naming entry and field (or ML.NET's FormatException for its own
    /// header and zip structure, or an ArgumentException saying an engine state belongs to another model).</summary>
    Refused,

    /// <summary>
    /// An exception ML.NET throws for bytes outside our components, with none of our code on its stack: its own Schema entry
    /// (read by its BinaryLoader), its header's loader assembly name, or a component entry missing from a zip without a Schema
    /// entry. Our checksums cannot cover these bytes; ML.NET's messages are its own.
    /// </summary>
    RefusedByMLNet,

    /// <summary>Loaded and gave the uncorrupted model's answer bit for bit (the bytes changed were not read).</summary>
    Identical,

    /// <summary>Loaded and gave another answer: a silent wrong answer.</summary>
    Changed,

    /// <summary>Any other exception.</summary>
    Crash,

    /// <summary>Allocated more than the allowance (see <see cref="CorruptionRun.Allowance"/>).</summary>
    Allocation,

    /// <summary>Did not finish within the time limit.</summary>
    Hang,
}

/// <summary>One case: the subject's kind, the corruption, its outcome, what was changed and what happened.</summary>
internal sealed record CorruptionResult(string Kind, CorruptionKind Corruption, CorruptionOutcome Outcome, string Detail, string Note,
    long Allocated, long Allowance);

/// <summary>
/// Runs seeded corruption cases over <see cref="CorruptionSubjects.All"/>: case c corrupts subject c mod S with kind
/// ⌊c / S⌋ mod K, its random choices seeded by (seed, c), so any case can be replayed alone. Each case loads and answers on
/// one worker thread under a time limit (<see cref="CorruptionWorker"/>), its allocations counted on that thread.
/// </summary>
internal static class CorruptionRun
{
    public static List<CorruptionResult> Run(int cases, int seed, TimeSpan timeout)
    {
        var subjects = CorruptionSubjects.All;
        var ml = new MLContext(seed: 1);
        using var worker = new CorruptionWorker();
        var baselines = new (string? Answer, Exception? Error, long Allocated)[subjects.Count];
        for (int pass = 0; pass < 2; pass++)   // the second pass, on a warm thread, is the baseline
            for (int i = 0; i < subjects.Count; i++)
            {
                var subject = subjects[i];
                int k = i;
                if (!worker.TryRun(() => baselines[k] = Measure(() => subject.Answer(ml, subject.Bytes)), timeout)
                    || baselines[k].Error is not null)
                    throw new InvalidOperationException($"The uncorrupted {subject.Kind} did not answer.", baselines[k].Error);
            }
        var kinds = Enum.GetValues<CorruptionKind>();
        var results = new List<CorruptionResult>(cases);
        for (int c = 0; c < cases; c++)
        {
            int s = c % subjects.Count;
            var subject = subjects[s];
            var kind = kinds[c / subjects.Count % kinds.Length];
            var bytes = CorruptionCases.Make(subject, kind, CaseRandom(seed, c), out string detail);
            long allowance = Allowance(baselines[s].Allocated, subject.Bytes.Length);
            (string? Answer, Exception? Error, long Allocated) result = default;
            if (!worker.TryRun(() => result = Measure(() => subject.Answer(ml, bytes)), timeout))
            {
                results.Add(new(subject.Kind, kind, CorruptionOutcome.Hang, detail, $"case {c}: over {timeout}", 0, allowance));
                continue;
            }
            var (answer, error, allocated) = result;
            var outcome = allocated > allowance ? CorruptionOutcome.Allocation
                : error is not null ? Classify(error)
                : answer == baselines[s].Answer ? CorruptionOutcome.Identical : CorruptionOutcome.Changed;
            string note = error is null ? "" : $"{error.GetType().Name}: {Innermost(error)}";
            results.Add(new(subject.Kind, kind, outcome, detail, $"case {c}: {note}", allocated, allowance));
        }
        return results;
    }

    /// <summary>Case <paramref name="c"/> of a run with <paramref name="seed"/> again: what it changed and its full exception.</summary>
    public static string Replay(int c, int seed)
    {
        var subjects = CorruptionSubjects.All;
        var kinds = Enum.GetValues<CorruptionKind>();
        var subject = subjects[c % subjects.Count];
        var bytes = CorruptionCases.Make(subject, kinds[c / subjects.Count % kinds.Length], CaseRandom(seed, c),
            out string detail);
        var (answer, error, allocated) = Measure(() => subject.Answer(new MLContext(seed: 1), bytes));
        return $"{subject.Kind}: {detail}; {allocated:N0} bytes\n{error?.ToString() ?? answer}";
    }

    /// <summary>
    /// The most a case may allocate: twice what loading and answering with the uncorrupted model allocates, plus 16 times the
    /// file's size.
    /// </summary>
    internal static long Allowance(long baseline, int fileBytes) => 2 * baseline + 16L * fileBytes;

    /// <summary>Case <paramref name="c"/>'s random choices, the same in every process.</summary>
    private static Random CaseRandom(int seed, int c) => new(unchecked(seed * 1_000_003 + c));

    private static CorruptionOutcome Classify(Exception e)
    {
        var chain = Chain(e).ToList();
        if (chain.Any(x => x is InvalidDataException or FormatException)
            || chain.Any(x => x is ArgumentException && x.Message.Contains("engine state", StringComparison.Ordinal)))
            return CorruptionOutcome.Refused;
        if (!chain.Any(x => (x.StackTrace ?? "").Split('\n').Any(OurFrame)))
            return CorruptionOutcome.RefusedByMLNet;
        return CorruptionOutcome.Crash;
    }

    /// <summary>Whether a stack frame is in the library (not in ML.NET, the runtime or these tests).</summary>
    private static bool OurFrame(string frame) =>
        frame.TrimStart().StartsWith("at Microsoft.ML.Lstm.", StringComparison.Ordinal)
        && !frame.TrimStart().StartsWith("at Microsoft.ML.Lstm.Tests.", StringComparison.Ordinal);

    private static string Innermost(Exception e) => string.Join(" | ", Chain(e).Select(x => x.Message)).ReplaceLineEndings(" ");

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }

    private static (string? Answer, Exception? Error, long Allocated) Measure(Func<string> answer)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            string a = answer();
            return (a, null, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        catch (Exception e)
        {
            return (null, e, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }
}
