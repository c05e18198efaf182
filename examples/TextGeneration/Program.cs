using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Lstm;

// A character-level LSTM language model on three Shakespeare plays (examples/data/shakespeare_hamlet_macbeth_caesar.txt,
// 375,548 characters): trained on the first 90% of the characters (the end 5% of that part held out to pick the best
// epoch), bits per character reported on the last 10%, beside the 2.21 of a character 5-gram with interpolated
// Kneser-Ney smoothing on the same split; then samples at two temperatures.
// Usage: dotnet run -c Release --project examples/TextGeneration [-- name=value ...] (settings of LstmLanguageModelOptions,
// e.g. HiddenSize=256; text=path trains on another file with the same split; select=1 stops before the test)
var settings = args.Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
bool selecting = settings.Remove("select");   // choosing settings: stop after training, before the test part is read
string path = settings.Remove("text", out var other) ? other : Path.Combine(AppContext.BaseDirectory, "data",
    "shakespeare_hamlet_macbeth_caesar.txt");
string text = File.ReadAllText(path);
int cut = (int)(text.Length * 0.9);
string train = text[..cut], test = text[cut..];

// The library's defaults (2 layers × 256, dropout 0.4, Adam at 0.003, chunks of 100, 5% held out for the best epoch),
// with 22 epochs to stay within 10 minutes on 2 cores; defaults=1 keeps the default 30 epochs (with early stopping).
var options = new LstmLanguageModelOptions();
if (!settings.Remove("defaults")) options.NumberOfEpochs = 22;
options.Seed = 1;
options.NumberOfThreads = 2;
options.Progress = p => Console.WriteLine($"  {p}");
foreach (var (name, value) in settings)
{
    var property = typeof(LstmLanguageModelOptions).GetProperty(name) ?? throw new ArgumentException($"No setting {name}.");
    var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
    property.SetValue(options, type.IsEnum ? Enum.Parse(type, value) : Convert.ChangeType(value, type,
        System.Globalization.CultureInfo.InvariantCulture));
}

var ml = new MLContext(seed: 1);
var data = ml.Data.LoadFromEnumerable([new Document { Text = train }]);
Console.WriteLine($"{Path.GetFileName(path)}: {train.Length:N0} characters to train on, {test.Length:N0} to test on");
Console.WriteLine($"{options.NumberOfLayers} layer(s) × {options.HiddenSize} hidden, dropout {options.Dropout}, " +
    $"chunks of {options.SequenceLength}, batch {options.BatchSize}, learning rate {options.LearningRate}, " +
    $"{options.NumberOfThreads} threads");
var clock = Stopwatch.StartNew();
var model = ml.Transforms.Text.LstmLanguageModel(options).Fit(data);
double seconds = clock.Elapsed.TotalSeconds;
if (selecting)
{
    Console.WriteLine($"Training: {seconds:F0} s; best validation {model.TrainingHistory.Min(e => e.ValidationMetric):F4} bits per token");
    return;
}
var metrics = model.Evaluate(test);
Console.WriteLine();
Console.WriteLine($"Training: {seconds:F0} s, {model.TrainingHistory.Count} epochs, {model.Vocabulary.Count} tokens in the vocabulary");
Console.WriteLine($"Test (last 10%): {metrics.BitsPerCharacter:F3} bits per character" +
    (other is null ? " (character 5-gram, interpolated Kneser-Ney, same split: 2.21)" : "") + $"; perplexity {metrics.Perplexity:F2}");
foreach (double temperature in new[] { 0.5, 1.0 })
{
    Console.WriteLine();
    Console.WriteLine($"--- sample at temperature {temperature} ---");
    Console.WriteLine("  Ham. To be" + model.Generate("  Ham. To be", 400, temperature, seed: 7));
}

internal sealed class Document
{
    public string Text { get; set; } = "";
}
