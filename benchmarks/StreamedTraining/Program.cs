using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Lstm;
using Microsoft.ML.Lstm.Benchmarks.Streaming;

// Streamed training (LstmOptions.ShufflePoolSize) against rows read into memory, issue 17: 100,000 sequences × 100 steps × 8
// features generated lazily by a data view that holds no rows (SyntheticSequences.cs), a binary LSTM trained on them in each
// mode, each mode in its own process so that its peak working set (Process.PeakWorkingSet64) is its own. Test accuracy on
// 5,000 rows of another seed. Prints a Markdown table.
// Usage: dotnet run -c Release --project benchmarks/StreamedTraining [-- --rows N] [--epochs E] [--pool P]
// (one mode alone: --mode streamed|materialized; the driver runs both).
string? mode = null;
long rows = 100_000;
int epochs = 3, pool = 2_000;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--mode") mode = args[++i];
    else if (args[i] == "--rows") rows = long.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--epochs") epochs = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--pool") pool = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else throw new ArgumentException($"Unknown argument {args[i]}.");
}

if (mode is null)
{
    Console.WriteLine($"{rows:N0} sequences × {SyntheticSequences.Steps} steps × {SyntheticSequences.FeaturesPerStep} features, " +
        $"{epochs} epochs, {Environment.ProcessorCount} cores; load before: {Load()}");
    Console.WriteLine();
    Console.WriteLine("| mode | peak working set | before Fit | Fit time | test accuracy | test AUC |");
    Console.WriteLine("|---|---|---|---|---|---|");
    foreach (string m in new[] { "materialized", "streamed" })
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")   // run as `dotnet StreamedTraining.dll`
            start.ArgumentList.Add(typeof(SyntheticSequences).Assembly.Location);
        foreach (string a in new[] { "--mode", m, "--rows", $"{rows}", "--epochs", $"{epochs}", "--pool", $"{pool}" })
            start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"{m} failed: {output}");
        Console.WriteLine(output.Trim());
    }
    Console.WriteLine();
    var passClock = Stopwatch.StartNew();
    var view = new SyntheticSequences(rows, seed: 1);
    using (var cursor = view.GetRowCursor(view.Schema))
    {
        var get = cursor.GetGetter<Microsoft.ML.Data.VBuffer<float>>(view.Schema["Features"]);
        Microsoft.ML.Data.VBuffer<float> x = default;
        while (cursor.MoveNext()) get(ref x);
    }
    Console.WriteLine($"one pass over the data view (generating every row): {passClock.Elapsed.TotalSeconds:N1} s; load after: {Load()}");
    return;
}

var ml = new MLContext(seed: 1);
var options = new LstmOptions
{
    FeaturesPerStep = SyntheticSequences.FeaturesPerStep, HiddenSize = 32, Pooling = LstmPooling.Mean, NumberOfEpochs = epochs,
    BatchSize = 64, LearningRate = 3e-3, ValidationFraction = 0.02, Seed = 1,
    ShufflePoolSize = mode switch
    {
        "streamed" => pool,
        "materialized" => null,
        _ => throw new ArgumentException($"Unknown mode {mode}."),
    },
};
var train = new SyntheticSequences(rows, seed: 1);
var test = new SyntheticSequences(5_000, seed: 2);
var self = Process.GetCurrentProcess();
self.Refresh();
long before = self.PeakWorkingSet64;
var clock = Stopwatch.StartNew();
var model = ml.BinaryClassification.Trainers.Lstm(options).Fit(train);
double seconds = clock.Elapsed.TotalSeconds;
var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
self.Refresh();
string label = mode == "streamed" ? $"streamed (ShufflePoolSize = {pool:N0})" : "materialized (ShufflePoolSize = null)";
Console.WriteLine($"| {label} | {self.PeakWorkingSet64 / 1048576.0:N0} MB | {before / 1048576.0:N0} MB | {seconds:N0} s | " +
    $"{metrics.Accuracy:P2} | {metrics.AreaUnderRocCurve:F4} |");

static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
