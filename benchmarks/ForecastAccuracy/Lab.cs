using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>
/// A lab for the statistical half of the forecaster (issue 12): <c>--lab-collect FILE</c> runs the panel protocol once
/// (95% fits) with the smoothing weight held at 0 and writes, per fit, the LSTM ensemble's holdout medians and its
/// forecast from the origin, in model space; <c>--lab FILE</c> then replays the rest of the pipeline — the statistical
/// forecast fitted on the values before the holdout and run through it, the LSTM/statistics weight chosen on the
/// holdout pairs as the library chooses it, and the combined forecast from the origin — for each statistical variant
/// of <see cref="LabVariants"/>, in seconds instead of a panel run. The networks are the same in every variant (they
/// never see the statistical forecast), so the figures are those the library would give with that variant.
/// </summary>
internal static class Lab
{
    /// <summary>One held-out (origin, horizon) pair: <paramref name="Seen"/> values observed, the LSTM median and the target.</summary>
    internal sealed record Pair(int Seen, int H, double Lstm, double Target);

    /// <summary>
    /// One fit at one origin of one series (model space x; <paramref name="Lambda"/> maps it back to y; <paramref name="Lag"/> is
    /// the network's seasonal lag, 1 without seasonal differencing and in dumps written before it was recorded).
    /// </summary>
    internal sealed record Dump(string Name, string Group, int M, int Horizon, int Origin, int Seed, int[] Periods, double Lambda,
        double[] X, int BlockStart, Pair[] Pairs, double[] Test, bool Refused, int Lag = 1);

    public static void Collect(string file, IReadOnlyList<string> names, int seed, int seeds)
    {
        var panel = PanelSeries.Load().Where(s => names.Count == 0 || names.Contains(s.Name, StringComparer.OrdinalIgnoreCase));
        using var writer = new StreamWriter(file);
        HoldoutSnapshot? snapshot = null;
        EnsembleTrainer.HoldoutObserver = s => snapshot = s;
        foreach (var s in panel)
            for (int k = 0; k < seeds; k++)
                foreach (int origin in s.Origins)
                {
                    snapshot = null;
                    int window = Math.Max(2, Math.Min(ShortForm.Window(s.M, s.H), origin - s.H));
                    var train = s.Values[..origin];
                    if (origin < window + s.H)
                    {
                        writer.WriteLine(JsonSerializer.Serialize(new Dump(s.Name, s.Group, s.M, s.H, origin, seed + k, [], 1, train, 0, [],
                            [], Refused: true)));
                        continue;
                    }
                    var f = ShortForm.Fit(train, window, s.H, seed + k, 0.95f, [("ExponentialSmoothingWeight", "0")]);
                    var (transform, x) = snapshot is { } snap ? (snap.Data.Transform, snap.ModelSpace)
                        : throw new InvalidOperationException($"{s.Name} at {origin}: no holdout was observed.");
                    var pairs = new List<Pair>();
                    for (int i = 0; i < snap.Data.Rows; i++)
                        for (int h = 1; h <= s.H; h++)
                        {
                            double r = snap.Medians[i * s.H + h - 1];
                            if (double.IsNaN(r)) continue;
                            int t = transform.Lag + i;
                            pairs.Add(new Pair(t + 1, h, transform.Reconstruct(r, x[t + transform.BaselineOffset(h)], h), x[t + h]));
                        }
                    var test = f.Point.Select(transform.ToModel).ToArray();
                    writer.WriteLine(JsonSerializer.Serialize(new Dump(s.Name, s.Group, s.M, s.H, origin, seed + k, snap.Periods,
                        transform.BoxCoxLambda, x, snap.Block.Start, [.. pairs], test, Refused: false, transform.Lag)));
                    Console.Error.WriteLine(
                        $"{s.Name} {origin} seed {seed + k}: {pairs.Count} pairs, periods {string.Join("+", snap.Periods)}");
                }
        EnsembleTrainer.HoldoutObserver = null;
    }

    public static void Evaluate(string file, IReadOnlyList<string> only)
    {
        var dumps = File.ReadLines(file).Select(l => JsonSerializer.Deserialize<Dump>(l)!).ToArray();
        var panel = PanelSeries.Load().ToDictionary(s => s.Name);
        var variants = LabVariants.All.Where(v => only.Count == 0 || only.Contains(v.Name)).ToArray();
        Console.WriteLine("| variant | " + string.Join(" | ", Groups)
            + " | all | beats snaive | worst ratio | LSTM w=0.75/0.5/0.25 | n−2H,n−3H / n−H |");
        Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---|", Groups.Length + 5)));
        var table = new Dictionary<string, List<double>>();
        foreach (var variant in variants)
        {
            var perSeries = new Dictionary<string, List<double>>();
            var byOrigin = new Dictionary<string, (List<double> Last, List<double> Earlier)>();
            var weights = new int[3];
            foreach (var d in dumps)
            {
                var s = panel[d.Name];
                var actual = s.Values.AsSpan(d.Origin, d.Horizon);
                var train = s.Values.AsSpan(0, d.Origin);
                double[] point;
                if (d.Refused) point = ShortForm.SeasonalNaive(train, s.M, s.H);
                else
                {
                    var (w, combined) = Replay(d, variant);
                    if (Array.IndexOf(SmoothingCombination.Candidates, w) is >= 0 and var c) weights[c]++;
                    point = combined.Select(v => FromModel(v, d.Lambda)).ToArray();
                }
                double mase = ForecastMetrics.Mase(actual, point, train, s.M);
                (perSeries.TryGetValue(d.Name, out var l) ? l : perSeries[d.Name] = []).Add(mase);
                var split = byOrigin.TryGetValue(d.Name, out var b) ? b : byOrigin[d.Name] = ([], []);
                (d.Origin == s.Origins[0] ? split.Last : split.Earlier).Add(mase);
            }
            var means = perSeries.ToDictionary(p => p.Key, p => p.Value.Average());
            var ratios = means.Select(p => (p.Key, Ratio: p.Value / panel[p.Key].RMase["snaive"])).ToArray();
            var worst = ratios.MaxBy(r => r.Ratio);
            string groups = string.Join(" | ", Groups.Select(g =>
                Invariant(means.Where(p => panel[p.Key].Group == g).Select(p => p.Value).DefaultIfEmpty(double.NaN).Average())));
            Console.WriteLine($"| {variant.Name} | {groups} | {Invariant(means.Values.Average())} | "
                + $"{ratios.Count(r => r.Ratio < 1)}/{means.Count} | "
                + $"{Invariant(worst.Ratio, "F2")} ({worst.Key}) | {weights[2]}/{weights[0]}/{weights[1]} | "
                + $"{Invariant(byOrigin.Values.Average(v => v.Earlier.Average()))} / "
                + $"{Invariant(byOrigin.Values.Average(v => v.Last.Average()))} |");
            foreach (var (name, mase) in means) (table.TryGetValue(name, out var l) ? l : table[name] = []).Add(mase);
        }
        if (only.Count > 0) PrintSeries(table, panel, variants);
    }

    private static void PrintSeries(Dictionary<string, List<double>> table, Dictionary<string, PanelSeries> panel, LabVariant[] variants)
    {
        Console.WriteLine("\n| series | group | snaive | ets | arima | theta | comb | "
            + string.Join(" | ", variants.Select(v => v.Name)) + " |");
        foreach (var (name, mases) in table)
            Console.WriteLine($"| {name} | {panel[name].Group} | "
                + string.Join(" | ", PanelSeries.Methods.Select(m => Invariant(panel[name].RMase[m])))
                + " | " + string.Join(" | ", mases.Select(v => Invariant(v))) + " |");
    }

    private static readonly string[] Groups = ["monthly", "quarterly", "yearly", "weekly", "daily", "other"];

    /// <summary>The weight chosen on the holdout pairs and the combined forecast from the origin (model space).</summary>
    private static (double Weight, double[] Forecast) Replay(Dump d, LabVariant variant)
    {
        double weight = SmoothingCombination.Default, b = 0;
        double drift = 0;
        for (int t = d.Lag; t < d.X.Length; t++) drift += (d.X[t] - d.X[t - d.Lag]) / (d.X.Length - d.Lag);
        double Baseline(int seen, int h) => d.X[seen - 1 - d.Lag + (h - 1) % d.Lag + 1] + drift * ((h - 1) / d.Lag + 1);
        if (d.Pairs.Length > 0)
        {
            var seen = d.Pairs.Select(p => p.Seen).Distinct().Order().ToArray();
            var forecasts = variant.Forecast(d.X, Math.Max(2, d.BlockStart), d.Periods, d.Lag, seen, d.Horizon);
            var index = seen.Select((o, i) => (o, i)).ToDictionary(p => p.o, p => p.i);
            var stat = d.Pairs.Select(p => forecasts[index[p.Seen]][p.H - 1]).ToArray();
            var targets = d.Pairs.Select(p => (float)p.Target).ToArray();
            var chosen = SmoothingCombination.Choose(d.Pairs.Select(p => p.Lstm).ToArray(), stat, targets);
            weight = variant.Weight?.Invoke(chosen.Weight, chosen.LstmError, chosen.SmoothingError) ?? chosen.Weight;
            if (variant.Candidates is { } cs)
            {
                // The first candidate (0.5) unless another beats it by the margin; among those, the lowest error.
                var lstm = d.Pairs.Select(p => p.Lstm).ToArray();
                double Error(double w) =>
                    d.Pairs.Select((p, i) => Math.Abs(SmoothingCombination.Combine(lstm[i], stat[i], w) - p.Target)).Sum();
                double first = Error(cs[0]), best = first;
                weight = cs[0];
                foreach (double w in cs.Skip(1))
                    if (Error(w) is var e && e < best && e < first * (1 - variant.Margin)) (best, weight) = (e, w);
            }
            if (variant.BaselineWeights is { } bs)
            {
                double best = double.PositiveInfinity;
                foreach (double bw in bs)
                    foreach (double w in SmoothingCombination.Candidates)
                    {
                        double e = d.Pairs.Select((p, i) => Math.Abs(Mix(p.Lstm, stat[i], Baseline(p.Seen, p.H), w, bw) - p.Target)).Sum();
                        if (e < best - 1e-12) (best, weight, b) = (e, w, bw);
                    }
            }
        }
        var final = variant.Forecast(d.X, d.X.Length, d.Periods, d.Lag, [d.X.Length], d.Horizon)[0];
        return (weight, d.Test.Select((m, h) => Mix(m, final[h], Baseline(d.X.Length, h + 1), weight, b)).ToArray());
    }

    private static double Mix(double lstm, double stat, double baseline, double w, double b) =>
        (1 - b) * SmoothingCombination.Combine(lstm, stat, w) + b * baseline;

    private static double FromModel(double x, double lambda) => new SeriesTransform(lambda, 1, false, 0, 1, 0, 1, [], []).FromModel(x);

    private static string Invariant(double v, string format = "F3") => v.ToString(format, CultureInfo.InvariantCulture);
}
