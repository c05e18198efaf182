namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>
/// An accuracy check on a series no default was chosen on: the daily US births (not in the panel; weekly and yearly
/// seasonality), the panel protocol's short-form call (m = 7, H = 14, window 28) at six origins 61 days apart ending 14
/// days before the end (so the last fortnight, 18–31 December 1988, is one of them), MASE beside seasonal naive's.
/// </summary>
internal static class Untuned
{
    public static void Run(int seed, int seeds)
    {
        var births = Speed.Births();
        const int m = 7, H = 14, Origins = 6, Spacing = 61;
        Console.WriteLine("| seed | origin (day) | periods found | weight | seconds | MASE | seasonal naive MASE |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var (lstm, naive) = (new List<double>(), new List<double>());
        for (int k = 0; k < seeds; k++)
            for (int i = 0; i < Origins; i++)
            {
                int origin = births.Length - H - i * Spacing;
                var (f, mase, naiveMase) = ShortForm.Score(births, origin, m, H, seed + k);
                lstm.Add(mase);
                naive.Add(naiveMase);
                Console.WriteLine(FormattableString.Invariant(
                    $"| {seed + k} | {origin} | {f.Periods} | {f.SmoothingWeight} | {f.Seconds:F1} | {lstm[^1]:F3} | {naive[^1]:F3} |"));
            }
        int wins = lstm.Zip(naive).Count(p => p.First < p.Second);
        Console.WriteLine(FormattableString.Invariant($"\nmean MASE {lstm.Average():F3} (seasonal naive {naive.Average():F3}); ")
            + FormattableString.Invariant($"better than seasonal naive on {wins} of {lstm.Count}"));
    }
}
