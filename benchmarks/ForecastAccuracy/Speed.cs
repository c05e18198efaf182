using System.Diagnostics;
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
    public static void Run(int seed)
    {
        var births = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "stdlib_us_births_1969_1988.csv")).Skip(1)
            .Where(l => l.Length > 0).Select(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)).ToArray();
        var rng = new Random(seed);
        var halfHourly = Enumerable.Range(0, 4000).Select(t => 100 + 20 * Math.Sin(2 * Math.PI * t / 48)
            + 10 * Math.Sin(2 * Math.PI * t / 336) + 3 * (rng.NextDouble() - 0.5)).ToArray();
        Console.WriteLine("| series | n | m | H | window | period found | seconds | MASE (last H) | seasonal naive MASE |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        Measure("US births (daily)", births, m: 7, horizon: 14, seed);
        Measure("generated half-hourly", halfHourly, m: 48, horizon: 48, seed);
    }

    private static void Measure(string name, double[] y, int m, int horizon, int seed)
    {
        int origin = y.Length - horizon, window = Math.Min(Math.Max(Math.Max(3 * m, 2 * horizon), 8), 336);
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(y[..origin].Select(v => new Point { Value = (float)v }));
        var clock = Stopwatch.StartNew();
        var model = ml.Forecasting.ForecastByLstm("Forecast", nameof(Point.Value), window, 2 * window, origin, horizon).Fit(data);
        double seconds = clock.Elapsed.TotalSeconds;
        var f = model.CreateForecastingEngine<Point, Result>(ml).Predict();
        var actual = y.AsSpan(origin, horizon);
        double mase = ForecastMetrics.Mase(actual, f.Forecast.Select(v => (double)v).ToArray(), y[..origin], m);
        var naive = Enumerable.Range(0, horizon).Select(h => y[origin - m + h % m]).ToArray();
        double naiveMase = ForecastMetrics.Mase(actual, naive, y[..origin], m);
        Console.WriteLine(FormattableString.Invariant($"| {name} | {y.Length} | {m} | {horizon} | {window} | ")
            + FormattableString.Invariant($"{model.Options.SeasonalPeriod} | {seconds:F1} | {mase:F3} | {naiveMase:F3} |"));
    }

    private sealed class Point
    {
        public float Value { get; set; }
    }

    private sealed class Result
    {
        public float[] Forecast { get; set; } = [];
    }
}
