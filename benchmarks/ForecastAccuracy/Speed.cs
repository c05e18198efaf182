using System.Globalization;

namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>
/// Issue 12's speed check: training time of the README's short-form call, with the defaults, on long high-frequency
/// series — the daily US births 1969–1988 (7,305 days, weekly and yearly seasonality; H = 14, trained on all but the
/// last 14 days) and a generated half-hourly series of 4,000 steps with periods 48 and 336 (H = 48). Window as in the
/// panel protocol (max(3m, 2H, 8) capped at 336, m being the calendar's shortest season), sequences twice the window.
/// </summary>
internal static class Speed
{
    public static void Run(int seed, IReadOnlyList<(string Name, string Value)> overrides)
    {
        var births = Births();
        var rng = new Random(seed);
        var halfHourly = Enumerable.Range(0, 4000).Select(t => 100 + 20 * Math.Sin(2 * Math.PI * t / 48)
            + 10 * Math.Sin(2 * Math.PI * t / 336) + 3 * (rng.NextDouble() - 0.5)).ToArray();
        Console.WriteLine("| series | n | m | H | window | periods found | seconds | MASE (last H) | seasonal naive MASE |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        Measure("US births (daily)", births, m: 7, horizon: 14, seed, overrides);
        Measure("generated half-hourly", halfHourly, m: 48, horizon: 48, seed, overrides);
        Measure("generated half-hourly, weekends", Weekends(seed), m: 48, horizon: 48, seed, overrides);
    }

    /// <summary>
    /// 4,000 half-hours of a load-like series: a daily cycle that is flatter and lower on the two weekend days of every
    /// week (so only the week, 336, repeats exactly), plus AR(1) noise.
    /// </summary>
    private static double[] Weekends(int seed)
    {
        var rng = new Random(seed + 1);
        var y = new double[4000];
        double noise = 0;
        for (int t = 0; t < y.Length; t++)
        {
            bool weekend = t % 336 >= 240;
            noise = 0.7 * noise + 2 * (rng.NextDouble() - 0.5);
            y[t] = 100 + (weekend ? -15 : 0) + (weekend ? 8 : 20) * Math.Sin(2 * Math.PI * t / 48) + noise;
        }
        return y;
    }

    /// <summary>The daily US births 1969–1988 (7,305 values).</summary>
    public static double[] Births() =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "stdlib_us_births_1969_1988.csv")).Skip(1)
            .Where(l => l.Length > 0).Select(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture))];

    private static void Measure(string name, double[] y, int m, int horizon, int seed,
        IReadOnlyList<(string Name, string Value)> overrides)
    {
        var (f, mase, naiveMase) = ShortForm.Score(y, y.Length - horizon, m, horizon, seed, overrides);
        Console.WriteLine(FormattableString.Invariant($"| {name} | {y.Length} | {m} | {horizon} | {ShortForm.Window(m, horizon)} | ")
            + FormattableString.Invariant($"{f.Periods} | {f.Seconds:F1} | {mase:F3} | {naiveMase:F3} |"));
    }
}
