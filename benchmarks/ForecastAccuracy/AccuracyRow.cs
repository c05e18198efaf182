using System.Diagnostics;
using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>Our accuracy and coverage on one benchmark series.</summary>
internal sealed record AccuracyRow(BenchmarkSeries Series, double Rmse, double Mase, double NaiveRmse, double NaiveMase,
    Coverage TestWindow, Coverage Rolling, double Seconds, string Transform)
{
    /// <summary>Extra origins before the test period for the rolling-origin coverage (fewer when the series is short).</summary>
    public const int EarlierOrigins = 36;

    public static AccuracyRow Measure(BenchmarkSeries s, double[] y, ForecasterSettings options)
    {
        int H = BenchmarkSeries.Horizon, m = BenchmarkSeries.Period, n = y.Length - H;
        var train = y.AsSpan(0, n);
        var test = y.AsSpan(n, H);
        var clock = Stopwatch.StartNew();
        var model = LstmForecaster.Train(train, options);
        var forecast = model.CreateEngine(train).Forecast();
        var naive = ShortForm.SeasonalNaive(train, m, H);
        var testWindow = Coverage.Measure(model, y, n, Coverage.NaiveScale(train, m));
        int back = Math.Min(EarlierOrigins, n - (options.WindowSize + H + m));
        var earlier = LstmForecaster.Train(y.AsSpan(0, n - back), options);
        var rolling = Coverage.Measure(earlier, y, n - back, Coverage.NaiveScale(y.AsSpan(0, n - back), m));
        var t = model.Transform;
        return new AccuracyRow(s,
            ForecastMetrics.Rmse(test, forecast.Point), ForecastMetrics.Mase(test, forecast.Point, train, m),
            ForecastMetrics.Rmse(test, naive), ForecastMetrics.Mase(test, naive, train, m),
            testWindow, rolling, clock.Elapsed.TotalSeconds,
            $"transform {t.TransformName}, lag {t.Lag}, level {(t.LevelInput ? "on" : "off")}, epochs " +
            $"{string.Join("/", model.Report!.Epochs)}");
    }

    public static void Print(IReadOnlyList<AccuracyRow> rows)
    {
        Console.WriteLine();
        Console.WriteLine("H = 24 from the last origin; MASE scaled by the in-sample seasonal naive MAE (m = 12).");
        Console.WriteLine(
            "| series | LSTM RMSE | LSTM MASE | seasonal naive RMSE / MASE (ours) | R snaive MASE | R ETS MASE | R auto.arima MASE | " +
            "beats snaive |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            Console.WriteLine(
                $"| {r.Series.Name} | {r.Rmse:F3} | {r.Mase:F3} | {r.NaiveRmse:F2} / {r.NaiveMase:F3} | {r.Series.SeasonalNaive.Mase} | " +
                $"{r.Series.Ets.Mase} | {r.Series.AutoArima.Mase} | {(r.Mase < r.NaiveMase ? "yes" : "NO")} |");
        if (rows.Count == BenchmarkSeries.All.Length)
            Console.WriteLine(
                $"| mean | | {rows.Average(r => r.Mase):F3} | | {rows.Average(r => r.Series.SeasonalNaive.Mase):F3} | " +
                $"{rows.Average(r => r.Series.Ets.Mase):F3} | {rows.Average(r => r.Series.AutoArima.Mase):F3} | |");
        Console.WriteLine();
        Console.WriteLine("Interval coverage, all (origin, h) pairs with an observed target. Test window: the model above, streamed over");
        Console.WriteLine(
            $"the 24 origins of the test period. Rolling: a model trained {EarlierOrigins} steps earlier, streamed over the last " +
            $"{EarlierOrigins + 24} origins.");
        Console.WriteLine("| series | window | " + Coverage.CellsHeader +
            " | 80% cov h 1–6 | h 7–12 | h 13–18 | h 19–24 | origins / pairs |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            foreach (var (window, c) in new[] { ("test", r.TestWindow), ("rolling", r.Rolling) })
                Console.WriteLine($"| {r.Series.Name} | {window} | {c.Cells()} | {c.BlockCells()} | {c.Origins} / {c.Pairs} |");
        if (rows.Count > 1)
            foreach (var (window, c) in new[] { ("test", Coverage.Pool(rows.Select(r => r.TestWindow))),
                ("rolling", Coverage.Pool(rows.Select(r => r.Rolling))) })
                Console.WriteLine($"| all | {window} | {c.Cells()} | {c.BlockCells()} | {c.Origins} / {c.Pairs} |");
        Console.WriteLine("Widths and MSIS are divided by the in-sample seasonal naive MAE (as MASE); lower MSIS is better.");
        if (rows.Count == BenchmarkSeries.All.Length) PrintCriteria(rows);
        Console.WriteLine();
        Console.WriteLine("| series | time | preprocessing chosen |");
        Console.WriteLine("|---|---|---|");
        foreach (var r in rows) Console.WriteLine($"| {r.Series.Name} | {r.Seconds:F1} s | {r.Transform} |");
    }

    /// <summary>
    /// The accuracy criteria of issue 5, each with its figure: every series beats seasonal naive; the mean
    /// MASE is at most the best of R's ETS and auto.arima means; rolling-origin coverage within ±10 points
    /// of 80% and 95%, pooled over the three series (and, for information, per series).
    /// </summary>
    private static void PrintCriteria(IReadOnlyList<AccuracyRow> rows)
    {
        static string Mark(bool ok) => ok ? "met" : "NOT met";
        static bool Near(double coverage, double level) => Math.Abs(coverage - level) <= 0.10;
        double mean = rows.Average(r => r.Mase),
            best = Math.Min(rows.Average(r => r.Series.Ets.Mase), rows.Average(r => r.Series.AutoArima.Mase));
        var pooled = Coverage.Pool(rows.Select(r => r.Rolling));
        Console.WriteLine();
        Console.WriteLine("Criteria (issue 5):");
        Console.WriteLine(
            $"- beats seasonal naive on every series: {Mark(rows.All(r => r.Mase < r.NaiveMase))} " +
            $"({string.Join(", ", rows.Select(r => $"{r.Series.Name} {r.Mase:F3} vs {r.NaiveMase:F3}"))})");
        Console.WriteLine($"- mean MASE ≤ best of R's ETS / auto.arima: {Mark(mean <= best)} ({mean:F3} vs {best:F3})");
        Console.WriteLine(
            $"- rolling-origin coverage within ±10 points, pooled: {Mark(Near(pooled.At80, 0.80) && Near(pooled.At95, 0.95))} (80%: " +
            $"{100 * pooled.At80:F1}%, 95%: {100 * pooled.At95:F1}%, {pooled.Pairs} pairs)");
        Console.WriteLine($"  per series: {string.Join(", ", rows.Select(r =>
            $"{r.Series.Name} {100 * r.Rolling.At80:F1}% / {100 * r.Rolling.At95:F1}%" +
            $"{(Near(r.Rolling.At80, 0.80) && Near(r.Rolling.At95, 0.95) ? "" : " (outside)")}"))}");
    }

    /// <summary>One line: MASE per series, their mean, and pooled coverage.</summary>
    public static string Summary(IReadOnlyList<AccuracyRow> rows, ulong seed)
    {
        var test = Coverage.Pool(rows.Select(r => r.TestWindow));
        var rolling = Coverage.Pool(rows.Select(r => r.Rolling));
        return $"seed {seed}: MASE {string.Join(", ", rows.Select(r => $"{r.Series.Name} {r.Mase:F3}"))}; " +
            $"mean {rows.Average(r => r.Mase):F3}; " +
            $"80%/95% coverage: test window {100 * test.At80:F1}% / {100 * test.At95:F1}%, " +
            $"rolling {100 * rolling.At80:F1}% / {100 * rolling.At95:F1}%; " +
            $"per series rolling {string.Join(", ", rows.Select(r => $"{100 * r.Rolling.At80:F0}/{100 * r.Rolling.At95:F0}"))}, test " +
            $"{string.Join(", ", rows.Select(r => $"{100 * r.TestWindow.At80:F0}/{100 * r.TestWindow.At95:F0}"))}";
    }

    /// <summary>Per series over all seeds: mean MASE, coverage pooled over the seeds with its range per seed, widths and scores.</summary>
    public static void PrintSeeds(IReadOnlyList<IReadOnlyList<AccuracyRow>> seeds)
    {
        Console.WriteLine();
        Console.WriteLine($"Over {seeds.Count} seeds (coverage pooled over the seeds; [min–max] over seeds):");
        Console.WriteLine(
            "| series | mean MASE [min–max] | window | 80% coverage [min–max] | 95% coverage [min–max] | 80% width | 80% MSIS | " +
            "95% width | 95% MSIS |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        var names = seeds[0].Select(r => r.Series.Name).ToList();
        foreach (var name in names.Append("all"))
        {
            var mase = seeds.Select(rows => name == "all" ? rows.Average(r => r.Mase) : rows.Single(r => r.Series.Name == name).Mase)
                .ToList();
            foreach (var (window, pick) in
                new (string, Func<AccuracyRow, Coverage>)[] { ("test", r => r.TestWindow), ("rolling", r => r.Rolling) })
            {
                var perSeed = seeds.Select(rows => Coverage.Pool(rows.Where(r => name == "all" || r.Series.Name == name).Select(pick)))
                    .ToList();
                var all = Coverage.Pool(perSeed);
                Console.WriteLine($"| {name} | {mase.Average():F3} [{mase.Min():F3}–{mase.Max():F3}] | {window} | " +
                    $"{100 * all.At80:F1}% [{100 * perSeed.Min(c => c.At80):F1}–{100 * perSeed.Max(c => c.At80):F1}] | " +
                    $"{100 * all.At95:F1}% [{100 * perSeed.Min(c => c.At95):F1}–{100 * perSeed.Max(c => c.At95):F1}] | " +
                    $"{all.Width(0):F2} | {all.Score(0):F2} | {all.Width(1):F2} | {all.Score(1):F2} |");
            }
        }
    }
}
