using System.Diagnostics;
using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>Empirical coverage of the 80% and 95% intervals over some (origin, horizon) pairs.</summary>
internal readonly record struct Coverage(double At80, double At95, int Pairs, int Origins)
{
    /// <summary>
    /// Creates an engine on y[..firstOrigin], then for every origin o = firstOrigin … N − 1 forecasts H
    /// steps, scores the pairs whose target y[o + h] exists, and streams y[o] into the engine.
    /// </summary>
    /// <param name="model">The forecaster.</param>
    /// <param name="y">The series.</param>
    /// <param name="firstOrigin">The first origin.</param>
    /// <param name="exogenous">Covariates [N × E] when the model has E &gt; 0 (at least H values past the end for the last forecasts are not needed: missing future rows repeat the last one).</param>
    public static Coverage Measure(LstmForecaster model, double[] y, int firstOrigin, double[]? exogenous = null)
    {
        int E = model.Transform.ExogenousCount, H = model.Horizon;
        var ex = exogenous ?? [];
        var engine = model.CreateEngine(y.AsSpan(0, firstOrigin), ex.AsSpan(0, firstOrigin * E));
        int inside80 = 0, inside95 = 0, pairs = 0;
        for (int origin = firstOrigin; origin < y.Length; origin++)
        {
            var future = new double[H * E];
            for (int h = 0; h < H; h++) ex.AsSpan(Math.Min(origin + h, y.Length - 1) * E, E).CopyTo(future.AsSpan(h * E, E));
            var f = engine.Forecast(futureExogenous: future);
            for (int h = 0; h < f.Horizon && origin + h < y.Length; h++)
            {
                double a = y[origin + h];
                pairs++;
                if (a >= f.Lower(0.80)[h] && a <= f.Upper(0.80)[h]) inside80++;
                if (a >= f.Lower(0.95)[h] && a <= f.Upper(0.95)[h]) inside95++;
            }
            engine.Update(y[origin], ex.AsSpan(origin * E, E));
        }
        return new Coverage((double)inside80 / pairs, (double)inside95 / pairs, pairs, y.Length - firstOrigin);
    }
}

/// <summary>Our accuracy and coverage on one benchmark series.</summary>
internal sealed record AccuracyRow(BenchmarkSeries Series, double Rmse, double Mase, double NaiveRmse, double NaiveMase,
    Coverage TestWindow, Coverage Rolling, double Seconds, string Transform)
{
    /// <summary>Extra origins before the test period for the rolling-origin coverage (fewer when the series is short).</summary>
    public const int EarlierOrigins = 36;

    public static AccuracyRow Measure(BenchmarkSeries s, double[] y, LstmForecasterOptions options)
    {
        int H = BenchmarkSeries.Horizon, m = BenchmarkSeries.Period, n = y.Length - H;
        var train = y.AsSpan(0, n);
        var test = y.AsSpan(n, H);
        var clock = Stopwatch.StartNew();
        var model = LstmForecaster.Train(train, options);
        var forecast = model.CreateEngine(train).Forecast();
        var naive = new double[H];
        for (int h = 0; h < H; h++) naive[h] = train[n - m + h % m];
        var testWindow = Coverage.Measure(model, y, n);
        int back = Math.Min(EarlierOrigins, n - (options.WindowSize + H + m));
        var earlier = LstmForecaster.Train(y.AsSpan(0, n - back), options);
        var rolling = Coverage.Measure(earlier, y, n - back);
        var t = model.Transform;
        return new AccuracyRow(s,
            ForecastMetrics.Rmse(test, forecast.Point), ForecastMetrics.Mase(test, forecast.Point, train, m),
            ForecastMetrics.Rmse(test, naive), ForecastMetrics.Mase(test, naive, train, m),
            testWindow, rolling, clock.Elapsed.TotalSeconds,
            $"log {(t.UseLog ? "on" : "off")}, lag {t.Lag}, level {(t.LevelInput ? "on" : "off")}, epochs {string.Join("/", model.Report!.Epochs)}");
    }

    public static void Print(IReadOnlyList<AccuracyRow> rows)
    {
        Console.WriteLine();
        Console.WriteLine("H = 24 from the last origin; MASE scaled by the in-sample seasonal naive MAE (m = 12).");
        Console.WriteLine("| series | LSTM RMSE | LSTM MASE | seasonal naive RMSE / MASE (ours) | R snaive MASE | R ETS MASE | R auto.arima MASE | beats snaive |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            Console.WriteLine($"| {r.Series.Name} | {r.Rmse:F3} | {r.Mase:F3} | {r.NaiveRmse:F2} / {r.NaiveMase:F3} | {r.Series.SeasonalNaive.Mase} | {r.Series.Ets.Mase} | {r.Series.AutoArima.Mase} | {(r.Mase < r.NaiveMase ? "yes" : "NO")} |");
        if (rows.Count == BenchmarkSeries.All.Length)
            Console.WriteLine($"| mean | | {rows.Average(r => r.Mase):F3} | | {rows.Average(r => r.Series.SeasonalNaive.Mase):F3} | {rows.Average(r => r.Series.Ets.Mase):F3} | {rows.Average(r => r.Series.AutoArima.Mase):F3} | |");
        Console.WriteLine();
        Console.WriteLine("Interval coverage, all (origin, h) pairs with an observed target. Test window: the model above, streamed over");
        Console.WriteLine($"the 24 origins of the test period. Rolling: a model trained {EarlierOrigins} steps earlier, streamed over the last {EarlierOrigins + 24} origins.");
        Console.WriteLine("| series | test window 80% | test window 95% | rolling 80% | rolling 95% | rolling origins / pairs | time | preprocessing chosen |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            Console.WriteLine($"| {r.Series.Name} | {100 * r.TestWindow.At80:F1}% | {100 * r.TestWindow.At95:F1}% | {100 * r.Rolling.At80:F1}% | {100 * r.Rolling.At95:F1}% | {r.Rolling.Origins} / {r.Rolling.Pairs} | {r.Seconds:F1} s | {r.Transform} |");
        if (rows.Count > 1)
            Console.WriteLine($"| all | {Pooled(rows, r => r.TestWindow, c => c.At80):F1}% | {Pooled(rows, r => r.TestWindow, c => c.At95):F1}% | {Pooled(rows, r => r.Rolling, c => c.At80):F1}% | {Pooled(rows, r => r.Rolling, c => c.At95):F1}% | {rows.Sum(r => r.Rolling.Pairs)} | | |");
    }

    /// <summary>One line: MASE per series, their mean, and pooled coverage.</summary>
    public static string Summary(IReadOnlyList<AccuracyRow> rows, ulong seed) =>
        $"seed {seed}: MASE {string.Join(", ", rows.Select(r => $"{r.Series.Name} {r.Mase:F3}"))}; mean {rows.Average(r => r.Mase):F3}; " +
        $"80%/95% coverage: test window {Pooled(rows, r => r.TestWindow, c => c.At80):F1}% / {Pooled(rows, r => r.TestWindow, c => c.At95):F1}%, " +
        $"rolling {Pooled(rows, r => r.Rolling, c => c.At80):F1}% / {Pooled(rows, r => r.Rolling, c => c.At95):F1}%";

    private static double Pooled(IReadOnlyList<AccuracyRow> rows, Func<AccuracyRow, Coverage> which, Func<Coverage, double> rate) =>
        100 * rows.Sum(r => rate(which(r)) * which(r).Pairs) / rows.Sum(r => which(r).Pairs);
}
