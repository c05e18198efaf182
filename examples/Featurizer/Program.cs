using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Lstm;
using Microsoft.ML.Transforms.Text;

// Names -> gender (8,849 first names, examples/data/stdlib_names_gender.csv), one seeded 80/20 split:
//  1. an LSTM encoder over the name's letters (mlContext.Transforms.LstmFeaturizer) -> logistic regression (L-BFGS);
//  2. the usual ML.NET baseline: character n-grams (FeaturizeText, 1- to 4-grams) -> the same logistic regression;
//  3. both feature sets concatenated -> the same logistic regression.
// The LSTM never predicts here: it only turns each name into 64 numbers that the ML.NET trainer learns from.
// Then: which letters decided? An LSTM classifier with the same settings, and LstmTransformer.Explain (integrated
// gradients) for a few test names: each letter's share of the logit.
// Usage: dotnet run -c Release --project examples/Featurizer [-- seed]
int seed = args.Length > 0 ? int.Parse(args[0]) : 1;
var ml = new MLContext(seed: seed);
var rows = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "stdlib_names_gender.csv")).Skip(1)
    .Select(l => l.Split(',')).Select(c => new NameRow { Name = c[1], IsFemale = c[0] == "F" });
var split = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(rows), testFraction: 0.2, seed: seed);
var lower = ml.Transforms.Text.NormalizeText("Lower", nameof(NameRow.Name), TextNormalizingEstimator.CaseMode.Lower);
var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(nameof(NameRow.IsFemale), "Features");

var lstm = lower
    .Append(ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Letters", "Lower", useMarkerCharacters: false))
    .Append(ml.Transforms.LstmFeaturizer(new LstmFeaturizerOptions
    {
        OutputColumnName = "Lstm", FeatureColumnName = "Letters", LabelColumnName = nameof(NameRow.IsFemale),
        EmbeddingSize = 16, HiddenSize = 32, Bidirectional = true, Pooling = LstmPooling.Max, NumberOfEpochs = 15,
        LearningRate = 3e-3, Progress = p => { if (p.Epoch % 5 == 0) Console.WriteLine($"  LSTM encoder {p}"); },
    }));
var ngrams = ml.Transforms.Text.FeaturizeText("NGrams", new TextFeaturizingEstimator.Options
{
    CaseMode = TextNormalizingEstimator.CaseMode.Lower, WordFeatureExtractor = null,
    CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 4, UseAllLengths = true },
}, nameof(NameRow.Name));

var pipelines = new (string Name, IEstimator<ITransformer> Pipeline)[]
{
    ("LSTM encoder -> logistic regression", lstm.Append(ml.Transforms.CopyColumns("Features", "Lstm")).Append(trainer)),
    ("char 1-4-grams -> logistic regression", ngrams.Append(ml.Transforms.CopyColumns("Features", "NGrams")).Append(trainer)),
    ("both -> logistic regression", lstm.Append(ngrams).Append(ml.Transforms.Concatenate("Features", "Lstm", "NGrams")).Append(trainer)),
};
Console.WriteLine($"names -> gender, seed {seed}: {split.TrainSet.GetColumn<bool>(nameof(NameRow.IsFemale)).Count()} training " +
    $"and {split.TestSet.GetColumn<bool>(nameof(NameRow.IsFemale)).Count()} test names");
var results = new List<string>();
foreach (var (name, pipeline) in pipelines)
{
    var clock = Stopwatch.StartNew();
    var model = pipeline.Fit(split.TrainSet);
    double seconds = clock.Elapsed.TotalSeconds;
    var scored = model.Transform(split.TestSet);
    var m = ml.BinaryClassification.Evaluate(scored, nameof(NameRow.IsFemale));
    Console.WriteLine($"{name}: {((VectorDataViewType)scored.Schema["Features"].Type).Size} features, trained in {seconds:F1} s");
    results.Add($"| {name} | {m.Accuracy:P1} | {m.AreaUnderRocCurve:F3} | {m.F1Score:F3} | {seconds:F1} |");
}
Console.WriteLine("| features -> trainer | test accuracy | AUC | F1 | training s |");
Console.WriteLine("|---|---|---|---|---|");
results.ForEach(Console.WriteLine);

var letters = lower.Append(ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Letters", "Lower", useMarkerCharacters: false))
    .Fit(split.TrainSet);
var classifier = ml.BinaryClassification.Trainers.Lstm(new LstmOptions
{
    FeatureColumnName = "Letters", LabelColumnName = nameof(NameRow.IsFemale), EmbeddingSize = 16, HiddenSize = 32,
    Bidirectional = true, Pooling = LstmPooling.Max, NumberOfEpochs = 15, LearningRate = 3e-3,
}).Fit(letters.Transform(split.TrainSet));
Console.WriteLine();
Console.WriteLine("Which letters decided (integrated gradients of the logit from the zero embedding; + female, − male):");
var examples = letters.Transform(split.TestSet);
var names = examples.GetColumn<string>(nameof(NameRow.Name)).Take(6).ToArray();
var keys = examples.GetColumn<ushort[]>("Letters").Take(6).ToArray();
for (int i = 0; i < names.Length; i++)
{
    var a = classifier.Explain(keys[i].Select(k => (uint)k).ToArray());
    var steps = a.StepTotals();
    string perLetter = string.Join(" ", names[i].ToLowerInvariant().Select((c, t) => $"{c} {steps[t]:+0.0;-0.0}"));
    Console.WriteLine($"  {names[i],-10} logit {a.Score[0]:+0.0;-0.0} (baseline {a.BaselineScore[0]:+0.0;-0.0}): {perLetter}");
}

/// <summary>One name and its label.</summary>
public sealed class NameRow
{
    /// <summary>The first name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Labelled female in the source list.</summary>
    public bool IsFemale { get; set; }
}
