using System.Diagnostics;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.Corruption;

/// <summary>
/// Issue 17: a seeded corruption run over saved models of every kind (scorer for regression, binary and multiclass, tagger,
/// CTC, featurizer, language model, forecaster, forecaster checkpoint, global forecaster, engine state). Every case must end in a clear
/// exception or, where the bytes changed are not read, in the uncorrupted model's answer — never another answer, another
/// exception, a hang, or an allocation beyond the allowance (<see cref="CorruptionRun.Allowance"/>).
/// </summary>
/// <remarks>
/// CI runs 616 cases (7 of every corruption kind per model kind). For a longer run:
/// <c>LSTM_CORRUPTION_CASES=10000 dotnet test tests/Microsoft.ML.Lstm.Tests -c Release --filter FullyQualifiedName~CorruptionTests
/// --logger "console;verbosity=detailed"</c> (tallies per model kind, per corruption kind and outcome are printed);
/// <c>LSTM_CORRUPTION_REPLAY=c</c> instead runs case c alone and prints its full exception.
/// </remarks>
public class CorruptionTests(ITestOutputHelper output)
{
    private const int Seed = 17;

    [Fact]
    public void SeededCorruptionsOfEveryModelKindFailClearlyOrChangeNothing()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("LSTM_CORRUPTION_REPLAY"), out int replay))
        {
            output.WriteLine(CorruptionRun.Replay(replay, Seed));
            return;
        }
        int cases = int.TryParse(Environment.GetEnvironmentVariable("LSTM_CORRUPTION_CASES"), out int n) ? n : 616;
        var start = Stopwatch.GetTimestamp();
        var results = CorruptionRun.Run(cases, Seed, TimeSpan.FromSeconds(60));
        output.WriteLine(CorruptionReport.Format(results, Stopwatch.GetElapsedTime(start)));
        Assert.Equal(cases, results.Count);
        Assert.All(results, r => Assert.True(r.Outcome is CorruptionOutcome.Refused or CorruptionOutcome.RefusedByMLNet
            or CorruptionOutcome.Identical,
            $"{r.Outcome}: {r.Kind}, {r.Corruption} ({r.Detail}); {r.Note}"));
        Assert.Contains(results, r => r.Outcome == CorruptionOutcome.Refused);
    }
}
