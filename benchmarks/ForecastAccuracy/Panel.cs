using System.Globalization;

namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>
/// Issue 12's panel protocol: on each of the 43 series, at the origins n−H, n−2H, n−3H, the README's short-form call
/// <c>ForecastByLstm(output, input, windowSize, seriesLength, trainSize: origin, horizon: H, 0.95f, lower, upper)</c> with
/// window = max(3m, 2H, 8) capped at 336 (and at origin − H for the shortest series) and seriesLength = 2·window, no
/// seasonal period; MASE against the in-sample seasonal naive scale (lag m, 1 when m = 1), as R's anchors, and the
/// share of the H actual values inside the 95% bounds. The same call with 0.8 gives the 80% bounds (a model has one
/// confidence level, as ForecastBySsa's). Prints per-series tables (with the period found and the exponential smoothing
/// weight chosen) and per-group tables beside R forecast 8.20.
/// </summary>
internal static class Panel
{
    /// <summary>One series at one origin; <paramref name="Refused"/> when the library cannot train on so few rows.</summary>
    private sealed record Fit(double Mase, double Coverage95, double Coverage80, double Seconds, string? Periods = null,
        double? Weight = null, bool Refused = false);

    /// <param name="names">Series to run (all when empty).</param>
    /// <param name="seed">First seed.</param>
    /// <param name="seeds">Seeds from it.</param>
    /// <param name="overrides">Settings changed from the short form's (<c>--set</c>; none for the protocol itself).</param>
    /// <param name="quick">Skip the 80% fits (80% coverage is then NaN): half the time, for comparing point forecasts.</param>
    public static void Run(IReadOnlyList<string> names, int seed, int seeds, IReadOnlyList<(string Name, string Value)> overrides,
        bool quick = false)
    {
        var panel = PanelSeries.Load().Where(s => names.Count == 0 || names.Contains(s.Name, StringComparer.OrdinalIgnoreCase)).ToArray();
        var results = new Dictionary<string, List<Fit>>();
        foreach (var s in panel)
        {
            var fits = results[s.Name] = [];
            for (int k = 0; k < seeds; k++)
                foreach (int origin in s.Origins)
                    fits.Add(Measure(s, origin, seed + k, overrides, quick));
            var mean = Mean(fits);
            Console.Error.WriteLine(FormattableString.Invariant(
                $"{s.Name}: MASE {mean.Mase:F3} (snaive {s.RMase["snaive"]:F3}), ") + FormattableString.Invariant(
                $"80% / 95% coverage {mean.Coverage80:P0} / {mean.Coverage95:P0}, {mean.Seconds:F1} s per fit"));
        }
        PrintSeries(panel, results);
        PrintGroups(panel, results);
        if (seeds > 1) PrintSeeds(panel, results, seed, seeds);
    }

    /// <summary>
    /// Each seed's panel figures (its fits at the three origins only) and their mean and standard deviation: the spread
    /// behind the means over all seeds.
    /// </summary>
    private static void PrintSeeds(IReadOnlyList<PanelSeries> panel, Dictionary<string, List<Fit>> results, int seed, int seeds)
    {
        Console.WriteLine();
        Console.WriteLine("| seed | all: mean MASE | beats snaive | worst ratio to snaive | 80% coverage | 95% coverage |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var rows = new List<double[]>();
        for (int k = 0; k < seeds; k++)
        {
            var own = panel.Select(s => (s, Fit: Mean(results[s.Name].Skip(3 * k).Take(3).ToArray()))).ToArray();
            var trained = panel.SelectMany(s => results[s.Name].Skip(3 * k).Take(3)).Where(f => !f.Refused).ToArray();
            double[] row = [own.Average(x => x.Fit.Mase), own.Count(x => x.Fit.Mase < x.s.RMase["snaive"]),
                own.Max(x => x.Fit.Mase / x.s.RMase["snaive"]), trained.Average(f => f.Coverage80), trained.Average(f => f.Coverage95)];
            rows.Add(row);
            Console.WriteLine(FormattableString.Invariant(
                $"| {seed + k} | {row[0]:F3} | {row[1]}/{panel.Count} | {row[2]:F2} | {row[3]:P1} | {row[4]:P1} |"));
        }
        double Avg(int c) => rows.Average(r => r[c]);
        double Sd(int c) => Math.Sqrt(rows.Sum(r => (r[c] - Avg(c)) * (r[c] - Avg(c))) / (rows.Count - 1));
        Console.WriteLine(FormattableString.Invariant($"| mean ± sd | {Avg(0):F3} ± {Sd(0):F3} | {Avg(1):F1} ± {Sd(1):F1} | ")
            + FormattableString.Invariant($"{Avg(2):F2} ± {Sd(2):F2} | {Avg(3):P1} ± {Sd(3):P1} | {Avg(4):P1} ± {Sd(4):P1} |"));
    }

    /// <summary>
    /// The periods SeasonalityDetector finds on each series' training rows at the three origins, beside m: for one series
    /// the LSTM takes the first (the shortest) and the exponential smoothing adjusts for all.
    /// </summary>
    public static void Periods()
    {
        Console.WriteLine("| series | group | m | detected at n−H, n−2H, n−3H |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var s in PanelSeries.Load())
        {
            var found = s.Origins.Select(o => Lstm.Forecasting.SeasonalityDetector.DetectAll(s.Values.AsSpan(0, o)))
                .Select(p => p.Length == 0 ? "0" : string.Join(" + ", p));
            Console.WriteLine($"| {s.Name} | {s.Group} | {s.M} | {string.Join(", ", found)} |");
        }
    }

    private static Fit Measure(PanelSeries s, int origin, int seed, IReadOnlyList<(string Name, string Value)> overrides,
        bool quick)
    {
        int window = Math.Max(2, Math.Min(ShortForm.Window(s.M, s.H), origin - s.H));
        var train = s.Values[..origin];
        var actual = s.Values.AsSpan(origin, s.H);
        if (origin < window + s.H)
        {
            // Too few rows for one window and its targets: the call would throw. Score what a user would fall back
            // to, the seasonal naive forecast (no interval), and count it.
            return new Fit(ForecastMetrics.Mase(actual, ShortForm.SeasonalNaive(train, s.M, s.H), train, s.M), 0, 0, 0, Refused: true);
        }
        var f = ShortForm.Fit(train, window, s.H, seed, 0.95f, overrides);
        var f80 = quick ? null : ShortForm.Fit(train, window, s.H, seed, 0.8f, overrides);
        return new Fit(ForecastMetrics.Mase(actual, f.Point, train, s.M), ForecastMetrics.Coverage(actual, f.Lower, f.Upper),
            f80 is null ? double.NaN : ForecastMetrics.Coverage(actual, f80.Lower, f80.Upper), f.Seconds, f.Periods, f.SmoothingWeight);
    }

    private static Fit Mean(IReadOnlyCollection<Fit> fits) =>
        new(fits.Average(f => f.Mase), fits.Average(f => f.Coverage95), fits.Average(f => f.Coverage80), fits.Average(f => f.Seconds));

    private static void PrintSeries(IReadOnlyList<PanelSeries> panel, Dictionary<string, List<Fit>> results)
    {
        Console.WriteLine();
        Console.WriteLine("| series | group | m | H | n | LSTM | snaive | ets | arima | theta | comb | LSTM / snaive " +
            "| 80% / 95% coverage | periods found | smoothing weights | s per fit |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var s in panel)
        {
            var mean = Mean(results[s.Name]);
            var trained = results[s.Name].Where(f => !f.Refused).ToArray();
            string r = string.Join(" | ", PanelSeries.Methods.Select(m => Invariant(s.RMase[m], "F3")));
            string periods = string.Join(", ", trained.Select(f => f.Periods ?? "0").Distinct().Order());
            string weights = string.Join(", ", trained.Select(f => Invariant(f.Weight ?? double.NaN, "0.##")).Distinct().Order());
            Console.WriteLine(FormattableString.Invariant($"| {s.Name} | {s.Group} | {s.M} | {s.H} | {s.Values.Length} | {mean.Mase:F3} | ")
                + r + FormattableString.Invariant($" | {mean.Mase / s.RMase["snaive"]:F2} | {mean.Coverage80:P0} / {mean.Coverage95:P0} | ")
                + FormattableString.Invariant($"{periods} | {weights} | {mean.Seconds:F1} |"));
        }
    }

    private static void PrintGroups(IReadOnlyList<PanelSeries> panel, Dictionary<string, List<Fit>> results)
    {
        Console.WriteLine();
        Console.WriteLine("| group (series) | LSTM | snaive | ets | arima | theta | comb | beats snaive | 80% coverage | 95% coverage |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        var groups = panel.GroupBy(s => s.Group).Select(g => (Name: g.Key, Series: g.ToArray())).Append(("all", panel.ToArray()));
        foreach (var (name, series) in groups)
        {
            double lstm = series.Average(s => Mean(results[s.Name]).Mase);
            string r = string.Join(" | ", PanelSeries.Methods.Select(m => Invariant(series.Average(s => s.RMase[m]), "F3")));
            int beats = series.Count(s => Mean(results[s.Name]).Mase < s.RMase["snaive"]);
            var trained = series.SelectMany(s => results[s.Name]).Where(f => !f.Refused).ToArray();
            double coverage80 = trained.Select(f => f.Coverage80).DefaultIfEmpty(double.NaN).Average();
            double coverage95 = trained.Select(f => f.Coverage95).DefaultIfEmpty(double.NaN).Average();
            Console.WriteLine(FormattableString.Invariant($"| {name} ({series.Length}) | {lstm:F3} | ")
                + r + FormattableString.Invariant($" | {beats}/{series.Length} | {coverage80:P1} | {coverage95:P1} |"));
        }
        var ratios = panel.Select(s => (s.Name, Ratio: Mean(results[s.Name]).Mase / s.RMase["snaive"]))
            .OrderByDescending(x => x.Ratio).First();
        double total = panel.Sum(s => results[s.Name].Sum(f => f.Seconds));
        var seconds = results.Values.SelectMany(f => f).Where(f => !f.Refused).Select(f => f.Seconds).Order().ToArray();
        int refused = results.Values.Sum(f => f.Count(x => x.Refused));
        int fits = results.Values.Sum(f => f.Count);
        Console.WriteLine(FormattableString.Invariant($"\nworst ratio to seasonal naive: {ratios.Ratio:F2} ({ratios.Name}); ")
            + FormattableString.Invariant($"training time {total:F0} s over {fits} fits at 95% (the 80% fits not counted; ")
            + FormattableString.Invariant($"per fit median {seconds[seconds.Length / 2]:F1} s, longest {seconds[^1]:F1} s); ")
            + FormattableString.Invariant($"{refused} fits refused (too few rows), scored as seasonal naive"));
    }

    private static string Invariant(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
