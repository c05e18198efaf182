using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Lstm;
using Microsoft.ML.Lstm.Benchmarks.Pooling;

// Test accuracy of each LstmPooling on two binary tasks, several seeds (issue 14):
//  - motif: 60-letter random strings, positive when a 5-letter motif is planted at a random position (MotifTask.cs);
//    2,000 training and 2,000 test strings, generated afresh per seed;
//  - names -> gender: examples/data/stdlib_names_gender.csv, a seeded 80/20 split per seed.
// Every model: characters as keys (TokenizeIntoCharactersAsKeys) -> bidirectional LSTM, the same settings for all
// poolings. Prints per task and pooling the mean test accuracy ± sd over seeds and the training time.
// Usage: dotnet run -c Release --project benchmarks/SequencePooling [-- --seeds K] [--epochs E]
int seeds = 3, epochs = 20;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--seeds") seeds = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--epochs") epochs = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else throw new ArgumentException($"Unknown argument {args[i]}.");
}
var names = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "stdlib_names_gender.csv")).Skip(1)
    .Select(l => l.Split(',')).Select(c => new TextRow { Text = c[1], Label = c[0] == "F" }).ToList();
var tasks = new (string Name, Func<int, (List<TextRow> Train, List<TextRow> Test)> Split)[]
{
    ("motif (60 letters, motif vs decoy)", seed => (MotifTask.Rows(1000, 1000 + seed), MotifTask.Rows(2000, 2000 + seed))),
    ("names -> gender (8,849 names, 80/20)", seed =>
    {
        var rng = new Random(seed);
        var shuffled = names.OrderBy(_ => rng.Next()).ToList();
        int cut = shuffled.Count * 4 / 5;
        return (shuffled[..cut], shuffled[cut..]);
    }),
};

Console.WriteLine($"| task | pooling | test accuracy (mean ± sd over {seeds} seeds) | per seed | training s (median) |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var (taskName, split) in tasks)
    foreach (var pooling in Enum.GetValues<LstmPooling>())
    {
        var accuracies = new List<double>();
        var seconds = new List<double>();
        for (int seed = 0; seed < seeds; seed++)
        {
            var (train, test) = split(seed);
            var ml = new MLContext(seed: seed);
            var pipeline = ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Tokens", nameof(TextRow.Text), useMarkerCharacters: false)
                .Append(ml.BinaryClassification.Trainers.Lstm(new LstmOptions
                {
                    FeatureColumnName = "Tokens", LabelColumnName = nameof(TextRow.Label), EmbeddingSize = 16, HiddenSize = 32,
                    Bidirectional = true, NumberOfEpochs = epochs, BatchSize = 32, LearningRate = 3e-3, Pooling = pooling,
                }));
            var clock = Stopwatch.StartNew();
            var model = pipeline.Fit(ml.Data.LoadFromEnumerable(train));
            seconds.Add(clock.Elapsed.TotalSeconds);
            var metrics = ml.BinaryClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(test)), nameof(TextRow.Label));
            accuracies.Add(metrics.Accuracy);
        }
        double mean = accuracies.Average(), sd = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / Math.Max(1, seeds - 1));
        string perSeed = string.Join(", ", accuracies.Select(a => a.ToString("P1")));
        double median = seconds.Order().ElementAt(seconds.Count / 2);
        Console.WriteLine($"| {taskName} | {pooling} | {mean:P1} ± {sd:P1} | {perSeed} | {median:F1} |");
    }
