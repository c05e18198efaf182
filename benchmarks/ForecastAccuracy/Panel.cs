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
    /// <summary>
    /// One series at one origin; <paramref name="Refused"/> when the library cannot train on so few rows.
    /// <paramref name="Misses95"/> counts the 95% interval's misses below and above; <paramref name="Msis95"/> and
    /// <paramref name="Msis80"/> are the mean scaled interval scores (M4's MSIS: width + 2/α · distance outside, over the
    /// in-sample seasonal naive MAE), which unlike coverage do not reward widening.
    /// </summary>
    private sealed record Fit(double Mase, double Coverage95, double Coverage80, double Seconds, string? Periods = null,
        double? Weight = null, bool Refused = false, (int Below, int Above) Misses95 = default, double Msis95 = double.NaN,
        double Msis80 = double.NaN);

    /// <param name="names">Series to run (all when empty).</param>
    /// <param name="seed">First seed.</param>
    /// <param name="seeds">Seeds from it.</param>
    /// <param name="overrides">Settings changed from the short form's (<c>--set</c>; none for the protocol itself).</param>
    /// <param name="quick">Skip the 80% fits (80% coverage is then NaN): half the time, for comparing point forecasts.</param>
    /// <param name="folder">The panel's folder (<see cref="PanelSeries.Load"/>).</param>
    public static void Run(IReadOnlyList<string> names, int seed, int seeds, IReadOnlyList<(string Name, string Value)> overrides,
        bool quick = false, string folder = "panel")
    {
        var panel = PanelSeries.Load(folder)
            .Where(s => names.Count == 0 || names.Contains(s.Name, StringComparer.OrdinalIgnoreCase)).ToArray();
        var results = new Dictionary<string, List<Fit>>();
        foreach (var s in panel)
        {
            var fits = results[s.Name] = [];
            for (int k = 0; k < seeds; k++)
                foreach (int origin in s.Origins)
                {
                    var fit = Measure(s, origin, seed + k, overrides, quick);
                    fits.Add(fit);
                    Console.Error.WriteLine(FormattableString.Invariant(
                        $"  {s.Name} origin {origin} seed {seed + k}: MASE {fit.Mase:F3}, 80% / 95% coverage {fit.Coverage80:P0} / ")
                        + FormattableString.Invariant($"{fit.Coverage95:P0} (95% misses below / above {fit.Misses95.Below} / ")
                        + FormattableString.Invariant($"{fit.Misses95.Above}), weight {fit.Weight}{(fit.Refused ? " (refused)" : "")}"));
                }
            var (mean, covered) = (Mean(fits), Summarize([s], _ => fits));
            Console.Error.WriteLine(FormattableString.Invariant(
                $"{s.Name}: MASE {mean.Mase:F3} (snaive {s.RMase["snaive"]:F3}), ") + FormattableString.Invariant(
                $"80% / 95% coverage {covered.Coverage80:P0} / {covered.Coverage95:P0}, {mean.Seconds:F1} s per fit"));
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
        var rows = new List<Summary>();
        for (int k = 0; k < seeds; k++)
        {
            int seedIndex = k;
            var row = Summarize(panel, s => results[s.Name].Skip(s.Origins.Length * seedIndex).Take(s.Origins.Length).ToArray());
            rows.Add(row);
            Console.WriteLine(FormattableString.Invariant($"| {seed + k} | {row.Mase:F3} | {row.Beats}/{panel.Count} | ")
                + FormattableString.Invariant($"{row.WorstRatio:F2} | {row.Coverage80:P1} | {row.Coverage95:P1} |"));
        }
        double Avg(Func<Summary, double> c) => rows.Average(c);
        double Sd(Func<Summary, double> c) => Math.Sqrt(rows.Sum(r => (c(r) - Avg(c)) * (c(r) - Avg(c))) / (rows.Count - 1));
        Console.WriteLine(FormattableString.Invariant($"| mean ± sd | {Avg(r => r.Mase):F3} ± {Sd(r => r.Mase):F3} | ")
            + FormattableString.Invariant($"{Avg(r => r.Beats):F1} ± {Sd(r => r.Beats):F1} | ")
            + FormattableString.Invariant($"{Avg(r => r.WorstRatio):F2} ± {Sd(r => r.WorstRatio):F2} | ")
            + FormattableString.Invariant($"{Avg(r => r.Coverage80):P1} ± {Sd(r => r.Coverage80):P1} | ")
            + FormattableString.Invariant($"{Avg(r => r.Coverage95):P1} ± {Sd(r => r.Coverage95):P1} |"));
    }

    /// <summary>
    /// Figures over some series: mean MASE, the count beating seasonal naive, the worst ratio to it (and whose), and the
    /// coverage pooled over the fits that trained.
    /// </summary>
    private sealed record Summary(double Mase, int Beats, double WorstRatio, string Worst, double Coverage80, double Coverage95,
        double Msis80, double Msis95);

    /// <summary>The <see cref="Summary"/> of <paramref name="series"/>, each with the fits <paramref name="fitsOf"/> gives.</summary>
    private static Summary Summarize(IReadOnlyCollection<PanelSeries> series, Func<PanelSeries, IReadOnlyCollection<Fit>> fitsOf)
    {
        var means = series.Select(s => (Series: s, Naive: s.RMase["snaive"], Mean(fitsOf(s)).Mase)).ToArray();
        var worst = means.MaxBy(x => x.Mase / x.Naive);
        var trained = series.SelectMany(fitsOf).Where(f => !f.Refused).ToArray();
        return new Summary(means.Average(x => x.Mase), means.Count(x => x.Mase < x.Naive), worst.Mase / worst.Naive, worst.Series.Name,
            trained.Select(f => f.Coverage80).DefaultIfEmpty(double.NaN).Average(),
            trained.Select(f => f.Coverage95).DefaultIfEmpty(double.NaN).Average(),
            trained.Select(f => f.Msis80).DefaultIfEmpty(double.NaN).Average(),
            trained.Select(f => f.Msis95).DefaultIfEmpty(double.NaN).Average());
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
            f80 is null ? double.NaN : ForecastMetrics.Coverage(actual, f80.Lower, f80.Upper), f.Seconds, f.Periods, f.SmoothingWeight,
            Misses95: (Count(actual, f.Lower, (a, b) => a < b), Count(actual, f.Upper, (a, b) => a > b)),
            Msis95: Msis(actual, f.Lower, f.Upper, 0.95, train, s.M),
            Msis80: f80 is null ? double.NaN : Msis(actual, f80.Lower, f80.Upper, 0.8, train, s.M));
    }

    private static double Msis(ReadOnlySpan<double> actual, double[] lower, double[] upper, double level, double[] train, int m)
    {
        double score = 0;
        for (int h = 0; h < actual.Length; h++) score += Coverage.IntervalScore(actual[h], lower[h], upper[h], level);
        return score / actual.Length / Coverage.NaiveScale(train, Math.Max(1, m));
    }

    private static int Count(ReadOnlySpan<double> actual, double[] bound, Func<double, double, bool> outside)
    {
        int n = 0;
        for (int h = 0; h < actual.Length; h++) n += outside(actual[h], bound[h]) ? 1 : 0;
        return n;
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
            var covered = Summarize([s], _ => results[s.Name]);   // coverage over the fits that trained, as the group tables
            string r = string.Join(" | ", PanelSeries.Methods.Select(m => Invariant(s.RMase[m], "F3")));
            string periods = string.Join(", ", trained.Select(f => f.Periods ?? "0").Distinct().Order());
            string weights = string.Join(", ", trained.Select(f => Invariant(f.Weight ?? double.NaN, "0.##")).Distinct().Order());
            Console.WriteLine(FormattableString.Invariant($"| {s.Name} | {s.Group} | {s.M} | {s.H} | {s.Values.Length} | {mean.Mase:F3} | ")
                + r + FormattableString.Invariant($" | {mean.Mase / s.RMase["snaive"]:F2} | ")
                + FormattableString.Invariant($"{covered.Coverage80:P0} / {covered.Coverage95:P0} | ")
                + FormattableString.Invariant($"{periods} | {weights} | {mean.Seconds:F1} |"));
        }
    }

    private static void PrintGroups(IReadOnlyList<PanelSeries> panel, Dictionary<string, List<Fit>> results)
    {
        Console.WriteLine();
        Console.WriteLine("| group (series) | LSTM | snaive | ets | arima | theta | comb | beats snaive | 80% coverage | 95% coverage "
            + "| 80% / 95% MSIS |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        var groups = panel.GroupBy(s => s.Group).Select(g => (Name: g.Key, Series: g.ToArray())).Append(("all", panel.ToArray()));
        foreach (var (name, series) in groups)
        {
            var g = Summarize(series, s => results[s.Name]);
            string r = string.Join(" | ", PanelSeries.Methods.Select(m => Invariant(series.Average(s => s.RMase[m]), "F3")));
            Console.WriteLine(FormattableString.Invariant($"| {name} ({series.Length}) | {g.Mase:F3} | ")
                + r + FormattableString.Invariant($" | {g.Beats}/{series.Length} | {g.Coverage80:P1} | {g.Coverage95:P1} | ")
                + FormattableString.Invariant($"{g.Msis80:F2} / {g.Msis95:F2} |"));
        }
        var all = Summarize(panel, s => results[s.Name]);
        double total = panel.Sum(s => results[s.Name].Sum(f => f.Seconds));
        var seconds = results.Values.SelectMany(f => f).Where(f => !f.Refused).Select(f => f.Seconds).Order().ToArray();
        int refused = results.Values.Sum(f => f.Count(x => x.Refused));
        int fits = results.Values.Sum(f => f.Count);
        Console.WriteLine(FormattableString.Invariant($"\nworst ratio to seasonal naive: {all.WorstRatio:F2} ({all.Worst}); ")
            + FormattableString.Invariant($"training time {total:F0} s over {fits} fits at 95% (the 80% fits not counted; ")
            + FormattableString.Invariant($"per fit median {seconds[seconds.Length / 2]:F1} s, longest {seconds[^1]:F1} s); ")
            + FormattableString.Invariant($"{refused} fits refused (too few rows), scored as seasonal naive"));
    }

    private static string Invariant(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
