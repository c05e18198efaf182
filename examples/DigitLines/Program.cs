using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Lstm;
using Microsoft.ML.Lstm.Examples;

// Reading handwriting-like lines with CTC (mlContext.MulticlassClassification.Trainers.LstmCtc): lines of 3 to 7 handwritten
// 8×8 digits side by side, with random gaps and vertical shifts, read column by column (8 values per step). No alignment is
// given: only the digits of each line. The digit images are split 80/20 (seeded) first; training lines use training images
// only, test lines test images only. Printed beside the test character error rate: the error rate of a per-digit classifier
// (an LSTM over the same columns, mlContext.MulticlassClassification.Trainers.Lstm) on the same test images, one by one.
// Usage: dotnet run -c Release --project examples/DigitLines [-- seed [epochs]]
int seed = args.Length > 0 ? int.Parse(args[0]) : 1;
int epochs = args.Length > 1 ? int.Parse(args[1]) : 40;
var images = DigitLineData.LoadImages(Path.Combine(AppContext.BaseDirectory, "data", "sklearn_digits_8x8.csv"));
var order = Enumerable.Range(0, images.Count).ToArray();
new Random(seed).Shuffle(order);
int nTrain = (int)(0.8 * images.Count);
var trainImages = order[..nTrain].Select(i => images[i]).ToList();
var testImages = order[nTrain..].Select(i => images[i]).ToList();
var trainLines = DigitLineData.Lines(trainImages, 4000, 3, 7, seed: 10 * seed + 1);
var testLines = DigitLineData.Lines(testImages, 500, 3, 7, seed: 10 * seed + 2);
Console.WriteLine($"digit lines, seed {seed}: {trainLines.Count} training lines from {trainImages.Count} images, {testLines.Count} " +
    $"test lines ({testLines.Sum(l => l.Digits.Length)} digits) from {testImages.Count} other images");

var ml = new MLContext(seed: seed);
var train = ml.Data.LoadFromEnumerable(trainLines);
var test = ml.Data.LoadFromEnumerable(testLines);
var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(DigitLine.Digits))
    .Append(ml.MulticlassClassification.Trainers.LstmCtc(new LstmOptions
    {
        LabelColumnName = "Label", FeatureColumnName = nameof(DigitLine.Frames), FeaturesPerStep = 8, HiddenSize = 64,
        Bidirectional = true, NumberOfEpochs = epochs, BatchSize = 16, LearningRate = 3e-3, RecurrentDropout = 0.1,
        ValidationFraction = 0.1, EarlyStoppingPatience = 8, LearningRateSchedule = LstmLearningRateSchedule.ReduceOnPlateau,
        LearningRateDecayFactor = 0.3, LearningRateDecayEpochs = 3,
        Progress = p => { if (p.Epoch % 5 == 0) Console.WriteLine($"  {p}"); },
    }));
var clock = Stopwatch.StartNew();
var model = pipeline.Fit(train);
double seconds = clock.Elapsed.TotalSeconds;
var greedy = ml.MulticlassClassification.EvaluateSequences(model.Transform(test));
Console.WriteLine($"CTC line reader, trained in {seconds:F0} s: test character error rate {greedy.CharacterErrorRate:P2} " +
    $"(greedy decoding), {greedy.SequenceAccuracy:P1} of lines read exactly");

// The per-digit classifier: the same columns, one image per row, its digit as the label.
static DigitImage Columns((float[] Pixels, int Digit) image) => new()
{
    Frames = [.. Enumerable.Range(0, 64).Select(i => image.Pixels[(i % 8) * 8 + i / 8] / 16f)],
    Digit = image.Digit.ToString(System.Globalization.CultureInfo.InvariantCulture),
};
var classifier = ml.Transforms.Conversion.MapValueToKey("Label", nameof(DigitImage.Digit))
    .Append(ml.MulticlassClassification.Trainers.Lstm(new LstmOptions
    {
        LabelColumnName = "Label", FeatureColumnName = nameof(DigitImage.Frames), FeaturesPerStep = 8, HiddenSize = 64,
        Bidirectional = true, NumberOfEpochs = 30, BatchSize = 16, LearningRate = 3e-3,
    }));
clock.Restart();
var perDigit = classifier.Fit(ml.Data.LoadFromEnumerable(trainImages.Select(Columns)));
double perDigitSeconds = clock.Elapsed.TotalSeconds;
var digitMetrics = ml.MulticlassClassification.Evaluate(perDigit.Transform(ml.Data.LoadFromEnumerable(testImages.Select(Columns))));
Console.WriteLine($"per-digit classifier (the test images one by one), trained in {perDigitSeconds:F0} s: error rate " +
    $"{1 - digitMetrics.MicroAccuracy:P2}");
Console.WriteLine($"| model | test error | training s |");
Console.WriteLine($"|---|---|---|");
Console.WriteLine($"| CTC line reader (lines of 3-7 digits, no segmentation given) | CER {greedy.CharacterErrorRate:P2} | {seconds:F0} |");
Console.WriteLine($"| per-digit classifier (each test image alone) | {1 - digitMetrics.MicroAccuracy:P2} | {perDigitSeconds:F0} |");

var engine = ml.Model.CreatePredictionEngine<DigitLine, LineReading>(model);
foreach (var line in testLines.Take(3))
{
    var keys = engine.Predict(line).PredictedLabel;
    Console.WriteLine($"  line {string.Concat(line.Digits)} read as {string.Concat(keys.Select(k => KeyText(model, train, k)))}");
}

static string KeyText(ITransformer model, IDataView data, uint key)
{
    var names = default(VBuffer<ReadOnlyMemory<char>>);
    model.GetOutputSchema(data.Schema)["PredictedLabel"].GetKeyValues(ref names);
    return names.GetItemOrDefault((int)key - 1).ToString();
}

/// <summary>One digit image, columns as steps, for the per-digit classifier.</summary>
internal sealed class DigitImage
{
    [VectorType(64)]
    public float[] Frames { get; set; } = [];
    public string Digit { get; set; } = "";
}

/// <summary>What the example reads back: the decoded keys.</summary>
internal sealed class LineReading
{
    [KeyType(10)]
    public uint[] PredictedLabel { get; set; } = [];
}
