using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Lstm;
using Microsoft.ML.Lstm.Benchmarks.Forecasting;
using Microsoft.ML.Lstm.Forecasting;

// Usage: dotnet run -c Release --project benchmarks/ForecastAccuracy
//        [-- [--panel [--quick] | --speed | --untuned | --periods | --dev | --devset [--origins K]] [--baseline] [--threads N]
//        [--seed S] [--seeds K] [--verbose] [--set Option=Value]... [series...]]
// --untuned runs the panel's short-form call on the daily births at six origins (Untuned.cs), a series no default was
// chosen on. --panel runs issue 12's protocol on the 43-series panel (Panel.cs: the README's short-form call at three origins,
// tables beside R forecast 8.20; series names, --seed/--seeds and --set apply, --set through the options overload;
// --quick skips the 80% fits; --short-panel runs it on panel-short/, the monthly and quarterly series cut to six and ten
// years; --holdout-panel on panel-holdout/, 26 series the development panel left out, on which no default is chosen).
// --speed times the short-form call on long high-frequency series (Speed.cs); --periods
// prints the seasonal periods found on each panel series at each origin. --lab-collect FILE [series...] runs the panel's
// 95% fits once and keeps the networks' holdout and origin forecasts; --lab FILE [variants...] replays the statistical
// half of the forecaster for each variant of LabVariants.cs on them (Lab.cs), in seconds.
// Otherwise it trains on all but the last 24
// values with the default options (only Horizon, SeasonalPeriod, Seed and
// Threads set), forecasts 24 steps from the last origin, and measures interval coverage on the 24 rolling
// origins of the test period (the engine streams the test values one by one; no retraining, and no test
// value is ever a training target).
// --dev drops the last 24 values first, so the "test" is the 24 values before them; --devset runs the
// development protocol of DevelopmentSet.cs (--origins K: K origins per series, 24 steps apart; default 4). Settings were
// compared in these modes only, never on the real test period. --set overrides an LstmForecastingOptions property for such comparisons
// (e.g. --set WindowSize=96). --baseline evaluates the untrained starting point of the network (seasonal
// naive or naive with drift, unconditional quantiles, calibrated): the ablation that shows what training
// adds. --seeds K repeats the benchmark (or the development protocol) for seeds S … S+K−1 and prints each
// seed's line and a table over all seeds. Interval tables (Coverage.cs) give per series and pooled the
// coverage at 80% and 95% with the share of misses below / above, the mean width and the mean scaled
// interval score (MSIS; both divided by the in-sample seasonal naive MAE), and 80% coverage by horizon
// block: coverage alone would reward widening.
int threads = 2;
ulong seed = 0;
bool dev = false, devSet = false, verbose = false, baseline = false, panel = false, quick = false;
string panelFolder = "panel";
int seeds = 1, origins = 4;
var names = new List<string>();
var overrides = new List<(string Name, string Value)>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--threads") threads = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--seed") seed = ulong.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--dev") dev = true;
    else if (args[i] == "--devset") devSet = true;
    else if (args[i] == "--panel") panel = true;
    else if (args[i] == "--short-panel") (panel, panelFolder) = (true, "panel-short");
    else if (args[i] == "--holdout-panel") (panel, panelFolder) = (true, "panel-holdout");
    else if (args[i] == "--quick") quick = true;
    else if (args[i] == "--verbose") verbose = true;
    else if (args[i] == "--baseline") baseline = true;
    else if (args[i] == "--origins") origins = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--seeds") seeds = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--set") { var kv = args[++i].Split('=', 2); overrides.Add((kv[0], kv[1])); }
    else names.Add(args[i]);
}
var selected = BenchmarkSeries.All.Where(s => names.Count == 0 || names.Contains(s.Name, StringComparer.OrdinalIgnoreCase)).ToArray();
var total = Stopwatch.StartNew();
if (args.Contains("--speed"))
{
    Speed.Run((int)seed, overrides);
    return;
}
if (args.Contains("--untuned"))
{
    Untuned.Run((int)seed, seeds);
    return;
}
if (args.Contains("--lab-collect"))
{
    Lab.Collect(args[Array.IndexOf(args, "--lab-collect") + 1], LabSeries(), (int)seed, seeds);
    return;
}
if (args.Contains("--lab"))
{
    Lab.Evaluate(args[Array.IndexOf(args, "--lab") + 1], LabSeries());
    return;
}
if (args.Contains("--periods"))
{
    Panel.Periods();
    return;
}
if (panel)
{
    Panel.Run(names, (int)seed, seeds, overrides, quick, panelFolder);
    Console.WriteLine($"total time {total.Elapsed.TotalSeconds:F1} s");
    return;
}
if (devSet)
{
    DevelopmentSet.Run((s, sd) => Options(s, sd), names, seed, seeds, origins);
    Console.WriteLine($"total time {total.Elapsed.TotalSeconds:F1} s");
    return;
}
var perSeed = new List<IReadOnlyList<AccuracyRow>>();
for (int k = 0; k < seeds; k++, seed++)
{
    var rows = new List<AccuracyRow>();
    foreach (var s in selected)
    {
        var y = s.Load();
        if (dev) y = y[..^BenchmarkSeries.Horizon];
        rows.Add(AccuracyRow.Measure(s, y, Options(s.Name)));
    }
    if (dev) Console.WriteLine("\nDEVELOPMENT MODE: the last 24 values were dropped; R's figures below are for the real test period.");
    if (baseline) Console.WriteLine("\nBASELINE ABLATION: untrained networks (the seasonal naive / naive with drift they start from).");
    if (seeds == 1) AccuracyRow.Print(rows);
    else Console.WriteLine(AccuracyRow.Summary(rows, seed));
    perSeed.Add(rows);
}
if (seeds > 1) AccuracyRow.PrintSeeds(perSeed);
Console.WriteLine($"total time {total.Elapsed.TotalSeconds:F1} s");

ForecasterSettings Options(string series, ulong? seedOverride = null)
{
    var options = new ForecasterSettings
    {
        Model = { Horizon = BenchmarkSeries.Horizon, SeasonalPeriod = BenchmarkSeries.Period },
        Seed = seedOverride ?? seed, NumberOfThreads = threads,
        Log = verbose ? line => Console.WriteLine($"[{series}] {line}") : null,
    };
    if (baseline) (options.Model.NumberOfEpochs, options.Model.LearningRate, options.Model.WeightAveraging) = (1, 1e-12, 0);
    Overrides.Apply(options.Model, overrides);
    return options;
}

// The series (or, for --lab, variants) named after --lab-collect FILE / --lab FILE.
string[] LabSeries() => [.. names.Where(n => !n.EndsWith(".jsonl") && !n.StartsWith("--"))];
