using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>
/// The development protocol used to compare settings without touching any test period: the three
/// benchmark series with their last 24 values dropped, plus El Niño SST and Seatbelts (DriversKilled, with
/// the seat-belt <c>law</c> as a known covariate), each forecast 24 steps from two origins (24 and 48
/// steps before the end of what is kept), with coverage over the 24 streamed origins after each.
/// </summary>
internal static class DevelopmentSet
{
    private static readonly (string Name, string File, bool DropTest, int Covariate)[] Series =
    [
        ("AirPassengers", "r_airpassengers.csv", true, 0),
        ("co2", "r_co2_maunaloa_monthly.csv", true, 0),
        ("sunspots", "r_sunspot_month.csv", true, 0),
        ("elnino", "sm_elnino_sst.csv", false, 0),
        ("seatbelts", "r_seatbelts.csv", false, 8),
    ];

    public static void Run(Func<string, LstmForecasterOptions> options, IReadOnlyCollection<string> names)
    {
        int H = BenchmarkSeries.Horizon, m = BenchmarkSeries.Period;
        Console.WriteLine("| dev series | MASE origin −48 | MASE origin −24 | mean MASE | 80% coverage | 95% coverage |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var means = new List<double>();
        int pairs = 0;
        double in80 = 0, in95 = 0;
        foreach (var (name, file, dropTest, covariate) in Series.Where(s => names.Count == 0 || names.Contains(s.Name, StringComparer.OrdinalIgnoreCase)))
        {
            var source = new BenchmarkSeries(name, file, default, default, default);
            var y = source.Load();
            var ex = covariate > 0 ? source.Load(covariate) : [];
            if (dropTest) y = y[..^H];
            var mase = new List<double>();
            var covered = new List<Coverage>();
            foreach (int back in new[] { 2 * H, H })
            {
                int cut = y.Length - back;
                var o = options(name);
                int E = o.ExogenousCount = covariate > 0 ? 1 : 0;
                var model = LstmForecaster.Train(y.AsSpan(0, cut), o, ex.AsSpan(0, cut * E));
                var f = model.CreateEngine(y.AsSpan(0, cut), ex.AsSpan(0, cut * E)).Forecast(futureExogenous: ex.AsSpan(cut * E, H * E));
                mase.Add(ForecastMetrics.Mase(y.AsSpan(cut, H), f.Point, y.AsSpan(0, cut), m));
                covered.Add(Coverage.Measure(model, y[..(cut + H)], cut, ex));
            }
            int p = covered.Sum(c => c.Pairs);
            double c80 = covered.Sum(c => c.At80 * c.Pairs), c95 = covered.Sum(c => c.At95 * c.Pairs);
            (pairs, in80, in95) = (pairs + p, in80 + c80, in95 + c95);
            means.Add(mase.Average());
            Console.WriteLine($"| {name} | {mase[0]:F3} | {mase[1]:F3} | {mase.Average():F3} | {100 * c80 / p:F1}% | {100 * c95 / p:F1}% |");
        }
        Console.WriteLine($"| all | | | {means.Average():F3} | {100 * in80 / pairs:F1}% | {100 * in95 / pairs:F1}% |");
    }
}
