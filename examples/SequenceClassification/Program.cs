using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Lstm;

// Handwritten digits as sequences: each 8×8 image is read row by row, 8 steps of 8 pixels, by an LSTM
// inside an ordinary ML.NET pipeline. Trains, evaluates, saves model.zip, reloads it and predicts.
// Usage: dotnet run -c Release --project examples/SequenceClassification [-- path/to/digits.csv]
string dataPath = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", "sklearn_digits_8x8.csv");
var clock = Stopwatch.StartNew();
var mlContext = new MLContext(seed: 1);
var data = mlContext.Data.LoadFromTextFile<DigitImage>(dataPath, separatorChar: ',', hasHeader: true);
var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label", "Digit")
    .Append(mlContext.Transforms.NormalizeMinMax("Features", "Pixels", fixZero: true))
    .Append(mlContext.MulticlassClassification.Trainers.Lstm(new LstmOptions
    {
        FeaturesPerStep = 8, HiddenSize = 96, NumberOfEpochs = 40, BatchSize = 32, LearningRate = 4e-3,
        Progress = p => Console.WriteLine($"  {p}; about {(p.NumberOfEpochs - p.Epoch) * p.Seconds:F0} s left"),
    }))
    .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedDigit", "PredictedLabel"));

Console.WriteLine($"Training on {split.TrainSet.GetRowCount() ?? -1} images ...");
var model = pipeline.Fit(split.TrainSet);
string curvePath = Path.Combine(Environment.CurrentDirectory, "training-curve.png");
var history = model.OfType<LstmTransformer>().Single().Model.TrainingHistory;   // every epoch, kept with the model
File.WriteAllBytes(curvePath, LstmPlots.TrainingCurve(history, "Digits: LSTM training"));
Console.WriteLine($"Training curve written to {curvePath}");

var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
Console.WriteLine(
    $"Test micro-accuracy {metrics.MicroAccuracy:P2}, macro-accuracy {metrics.MacroAccuracy:P2}, log-loss {metrics.LogLoss:F4}");
Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());

string modelPath = Path.Combine(Environment.CurrentDirectory, "model.zip");
mlContext.Model.Save(model, data.Schema, modelPath);
var reloaded = new MLContext().Model.Load(modelPath, out _);
var engine = mlContext.Model.CreatePredictionEngine<DigitImage, DigitPrediction>(reloaded);
Console.WriteLine($"Saved and reloaded {modelPath}; predictions of the reloaded model:");
foreach (var image in mlContext.Data.CreateEnumerable<DigitImage>(split.TestSet, reuseRowObject: false).Take(5))
{
    var p = engine.Predict(image);
    Console.WriteLine($"  digit {image.Digit}: predicted {p.PredictedDigit} (p = {p.Score.Max():F3})");
}
Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s.");

/// <summary>One row of the digits CSV: the label and 64 pixels (8 rows of 8).</summary>
public sealed class DigitImage
{
    /// <summary>The digit 0–9.</summary>
    [LoadColumn(0)] public float Digit { get; set; }

    /// <summary>Pixels 0–16, row-major.</summary>
    [LoadColumn(1, 64), VectorType(64)] public float[] Pixels { get; set; } = [];
}

/// <summary>What the pipeline predicts.</summary>
public sealed class DigitPrediction
{
    /// <summary>The predicted digit.</summary>
    public float PredictedDigit { get; set; }

    /// <summary>Class probabilities.</summary>
    public float[] Score { get; set; } = [];
}
