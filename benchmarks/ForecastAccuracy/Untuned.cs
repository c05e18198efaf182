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
        int window = ShortForm.Window(m, H);
        Console.WriteLine("| seed | origin (day) | periods found | weight | seconds | MASE | seasonal naive MASE |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var (lstm, naive) = (new List<double>(), new List<double>());
        for (int k = 0; k < seeds; k++)
            for (int i = 0; i < Origins; i++)
            {
                int origin = births.Length - H - i * Spacing;
                var train = births[..origin];
                var actual = births.AsSpan(origin, H);
                var f = ShortForm.Fit(train, window, H, seed + k);
                lstm.Add(ForecastMetrics.Mase(actual, f.Point, train, m));
                naive.Add(ForecastMetrics.Mase(actual, ShortForm.SeasonalNaive(train, m, H), train, m));
                Console.WriteLine(FormattableString.Invariant(
                    $"| {seed + k} | {origin} | {f.Periods} | {f.SmoothingWeight} | {f.Seconds:F1} | {lstm[^1]:F3} | {naive[^1]:F3} |"));
            }
        int wins = lstm.Zip(naive).Count(p => p.First < p.Second);
        Console.WriteLine(FormattableString.Invariant($"\nmean MASE {lstm.Average():F3} (seasonal naive {naive.Average():F3}); ")
            + FormattableString.Invariant($"better than seasonal naive on {wins} of {lstm.Count}"));
    }
}
