using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Lstm;

// The package consumer test's application (run.sh). "train DIR": trains a sequence classifier and a forecaster through
// the package's public API, saves both with mlContext.Model.Save and writes what they predict. "score DIR", in another
// process: loads both with mlContext.Model.Load (no call into the package first) and exits non-zero unless every
// prediction is bit-identical to the saved ones.
if (args.Length != 2 || args[0] is not ("train" or "score"))
{
    Console.Error.WriteLine("usage: PackageConsumer train|score <directory>");
    return 2;
}
string dir = args[1];
var ml = new MLContext(seed: 1);
var sequences = Sequences();
var series = Enumerable.Range(0, 120)
    .Select(t => new Point { Value = (float)(10 + 3 * Math.Sin(2 * Math.PI * t / 12) + 0.05 * t) }).ToArray();
var classifierPath = Path.Combine(dir, "classifier.zip");
var forecasterPath = Path.Combine(dir, "forecaster.zip");
var expectedPath = Path.Combine(dir, "predictions.txt");

ITransformer classifier, forecaster;
if (args[0] == "train")
{
    var data = ml.Data.LoadFromEnumerable(sequences);
    classifier = ml.BinaryClassification.Trainers.Lstm(new LstmOptions { FeaturesPerStep = 2, HiddenSize = 8, NumberOfEpochs = 5 })
        .Fit(data);
    ml.Model.Save(classifier, data.Schema, classifierPath);
    var points = ml.Data.LoadFromEnumerable(series);
    forecaster = ml.Forecasting.ForecastByLstm("Forecast", nameof(Point.Value), windowSize: 24, seriesLength: 48,
        trainSize: series.Length, horizon: 6, confidenceLevel: 0.9f, "Lower", "Upper").Fit(points);
    ml.Model.Save(forecaster, points.Schema, forecasterPath);
}
else
{
    classifier = ml.Model.Load(classifierPath, out _);
    forecaster = ml.Model.Load(forecasterPath, out _);
}

var scores = ml.Data.CreateEnumerable<Scored>(classifier.Transform(ml.Data.LoadFromEnumerable(sequences)), reuseRowObject: false)
    .Select(s => s.Score);
var forecast = ((LstmForecastingTransformer)forecaster).CreateForecastingEngine<Point, Bounds>(ml).Predict();
string[] lines = [.. scores.Concat(forecast.Forecast).Concat(forecast.Lower).Concat(forecast.Upper)
    .Select(v => v.ToString("R", CultureInfo.InvariantCulture))];
if (args[0] == "train")
{
    File.WriteAllLines(expectedPath, lines);
    Console.WriteLine($"trained and saved; {lines.Length} predictions written");
    return 0;
}
var expected = File.ReadAllLines(expectedPath);
int differ = expected.Length != lines.Length ? -1 : expected.Zip(lines).Count(p => p.First != p.Second);
Console.WriteLine(differ == 0
    ? $"loaded in a new process; all {lines.Length} predictions bit-identical"
    : $"loaded in a new process; predictions differ ({(differ < 0 ? "count" : differ.ToString(CultureInfo.InvariantCulture))})");
return differ == 0 ? 0 : 1;

static Sequence[] Sequences()
{
    var rng = new Random(7);
    return [.. Enumerable.Range(0, 200).Select(_ =>
    {
        var x = Enumerable.Range(0, 20).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        return new Sequence { Features = x, Label = x.Where((_, i) => i % 2 == 0).Sum() > 0 };
    })];
}

/// <summary>Ten steps of two features, and whether the first feature sums above zero.</summary>
public sealed class Sequence
{
    [VectorType(20)] public float[] Features { get; set; } = [];

    public bool Label { get; set; }
}

/// <summary>The classifier's score.</summary>
public sealed class Scored
{
    public float Score { get; set; }
}

/// <summary>One value of the series.</summary>
public sealed class Point
{
    public float Value { get; set; }
}

/// <summary>The forecast and its bounds.</summary>
public sealed class Bounds
{
    public float[] Forecast { get; set; } = [];

    public float[] Lower { get; set; } = [];

    public float[] Upper { get; set; } = [];
}
