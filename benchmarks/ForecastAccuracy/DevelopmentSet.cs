using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>
/// The development protocol used to compare settings without touching any test period: the three
/// benchmark series with their last 24 values dropped, plus El Niño SST and Seatbelts (DriversKilled, with
/// the seat-belt <c>law</c> as a known covariate), each forecast 24 steps from up to K origins (24, 48, …,
/// 24·K steps before the end of what is kept, while at least windowSize + H values remain to train on;
/// K = 4 by default: two origins for AirPassengers, four for the others), with coverage, width and interval
/// score over the 24 streamed origins after each; repeated over seeds. A larger K (<c>--origins</c>) reaches
/// further back, e.g. over whole solar cycles of the sunspots, whose last four origins all lie near a
/// minimum.
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

    public static void Run(Func<string, ulong, ForecasterSettings> options,
        IReadOnlyCollection<string> names, ulong firstSeed, int seeds, int originCount = 4)
    {
        int H = BenchmarkSeries.Horizon, m = BenchmarkSeries.Period;
        var selected = Series.Where(s => names.Count == 0 || names.Contains(s.Name, StringComparer.OrdinalIgnoreCase)).ToArray();
        var mase = selected.Select(_ => new List<double>()).ToArray();
        var covered = selected.Select(_ => new List<Coverage>()).ToArray();   // per series, per seed (its origins pooled)
        var origins = new int[selected.Length];
        for (ulong seed = firstSeed; seed < firstSeed + (ulong)seeds; seed++)
            for (int j = 0; j < selected.Length; j++)
            {
                var (name, file, dropTest, covariate) = selected[j];
                var source = new BenchmarkSeries(name, file, default, default, default);
                var y = source.Load();
                var ex = covariate > 0 ? source.Load(covariate) : [];
                if (dropTest) y = y[..^H];
                var parts = new List<Coverage>();
                var probe = options(name, seed);
                var cuts = Enumerable.Range(1, originCount).Reverse().Select(k => y.Length - k * H)
                    .Where(cut => cut >= probe.WindowSize + H).ToArray();
                foreach (int cut in cuts)
                {
                    var o = options(name, seed);
                    int E = o.ExogenousCount = covariate > 0 ? 1 : 0;
                    var model = LstmForecaster.Train(y.AsSpan(0, cut), o, ex.AsSpan(0, cut * E));
                    var f = model.CreateEngine(y.AsSpan(0, cut), ex.AsSpan(0, cut * E))
                        .Forecast(futureExogenous: ex.AsSpan(cut * E, H * E));
                    mase[j].Add(ForecastMetrics.Mase(y.AsSpan(cut, H), f.Point, y.AsSpan(0, cut), m));
                    parts.Add(Coverage.Measure(model, y[..(cut + H)], cut, Coverage.NaiveScale(y.AsSpan(0, cut), m), ex));
                }
                covered[j].Add(Coverage.Pool(parts));
                origins[j] = cuts.Length;
            }
        Console.WriteLine(
            $"Development set, {seeds} seed(s) from {firstSeed}; origins per series {string.Join(", ", origins)}; coverage pooled over " +
            "the origins and the seeds, [min–max] over seeds.");
        Console.WriteLine(
            "Seed sd: per origin, the standard deviation of MASE over the seeds; mean over the origins (how much a forecast depends on " +
            "the seed).");
        Console.WriteLine(
            "| dev series | mean MASE [min–max per seed] | seed sd | 80% coverage [min–max] | 95% coverage [min–max] | " +
            Coverage.CellsHeader + " | 80% cov h 1–6 | h 7–12 | h 13–18 | h 19–24 |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int j = 0; j < selected.Length; j++)
            Console.WriteLine(
                Line(selected[j].Name, SeedMeans(mase[j], origins[j], seeds), SeedSd(mase[j], origins[j], seeds), covered[j]));
        var seedMeans = Enumerable.Range(0, seeds)
            .Select(s => Enumerable.Range(0, selected.Length).Average(j => SeedMeans(mase[j], origins[j], seeds)[s])).ToList();
        var pooled = Enumerable.Range(0, seeds).Select(s => Coverage.Pool(covered.Select(c => c[s]))).ToList();
        Console.WriteLine(
            Line("all", seedMeans, Enumerable.Range(0, selected.Length).Average(j => SeedSd(mase[j], origins[j], seeds)), pooled));
    }

    /// <summary>Per seed, the mean MASE over a series' origins (stored seed-major).</summary>
    private static List<double> SeedMeans(List<double> mase, int origins, int seeds) =>
        Enumerable.Range(0, seeds).Select(s => mase.Skip(s * origins).Take(origins).Average()).ToList();

    /// <summary>
    /// Per origin, the standard deviation of MASE over the seeds (sample, n − 1); mean over the origins. NaN for one seed.
    /// </summary>
    private static double SeedSd(List<double> mase, int origins, int seeds) => seeds < 2 ? double.NaN :
        Enumerable.Range(0, origins).Average(o =>
        {
            var v = Enumerable.Range(0, seeds).Select(s => mase[s * origins + o]).ToList();
            double mean = v.Average();
            return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (seeds - 1));
        });

    private static string Line(string name, List<double> mase, double seedSd, List<Coverage> perSeed)
    {
        var all = Coverage.Pool(perSeed);
        return $"| {name} | {mase.Average():F3} [{mase.Min():F3}–{mase.Max():F3}] | {seedSd:F3} | " +
            $"{100 * all.At80:F1}% [{100 * perSeed.Min(c => c.At80):F0}–{100 * perSeed.Max(c => c.At80):F0}] | " +
            $"{100 * all.At95:F1}% [{100 * perSeed.Min(c => c.At95):F0}–{100 * perSeed.Max(c => c.At95):F0}] | {all.Cells()} | " +
            $"{all.BlockCells()} |";
    }
}
