using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Lstm;

// Part-of-speech tagging of the Brown corpus news sentences (examples/data/brown_news_pos.conll, 12 coarse tags): a
// bidirectional LSTM tagger (mlContext.MulticlassClassification.Trainers.LstmTagger) reading each word as its lowercased
// form, its last three and two letters and its shape, so that words never seen in training are tagged by their endings and
// capitals. One seeded 80/10/10 split by sentence: settings were chosen on the development part; the test part is read once.
// Printed beside it: the most-frequent-tag baseline (each training word's most frequent tag; unseen words get the most
// frequent tag overall), on all test words and separately on known and unknown (not in the training part) words.
// Usage: dotnet run -c Release --project examples/PosTagging [-- seed [epochs]]
int seed = args.Length > 0 ? int.Parse(args[0]) : 1;
int epochs = args.Length > 1 ? int.Parse(args[1]) : 10;
var sentences = Conll.Read(Path.Combine(AppContext.BaseDirectory, "data", "brown_news_pos.conll"));
var order = Enumerable.Range(0, sentences.Count).ToArray();
new Random(seed).Shuffle(order);
int nTrain = (int)(0.8 * order.Length), nDev = (int)(0.1 * order.Length);
var train = order[..nTrain].Select(i => sentences[i]).ToList();
var dev = order[nTrain..(nTrain + nDev)].Select(i => sentences[i]).ToList();
var test = order[(nTrain + nDev)..].Select(i => sentences[i]).ToList();
Console.WriteLine($"Brown news, seed {seed}: {train.Count} training, {dev.Count} development and {test.Count} test sentences " +
    $"({train.Sum(s => s.Words.Length):N0} / {dev.Sum(s => s.Words.Length):N0} / {test.Sum(s => s.Words.Length):N0} words)");

var ml = new MLContext(seed: seed);
var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(Sentence.Tags))
    .Append(ml.MulticlassClassification.Trainers.LstmTagger(new LstmOptions
    {
        LabelColumnName = "Label", FeatureColumnName = nameof(Sentence.Words), Bidirectional = true,
        EmbeddingSize = 32, HiddenSize = 96, NumberOfEpochs = epochs, BatchSize = 16, LearningRate = 2e-3, Dropout = 0,
        Progress = p => Console.WriteLine($"  {p}"),
    }));
var clock = Stopwatch.StartNew();
var model = pipeline.Fit(ml.Data.LoadFromEnumerable(train));
double seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"trained in {seconds:F0} s");

var known = train.SelectMany(s => s.Words).ToHashSet();
var baseline = MostFrequentTag.Learn(train);
foreach (var (name, part) in new[] { ("development", dev), ("test", test) })
{
    var scored = model.Transform(ml.Data.LoadFromEnumerable(part));
    var metrics = ml.MulticlassClassification.EvaluateTagging(scored);
    var tagNames = metrics.TagNames;
    var predicted = ml.Data.CreateEnumerable<Tagged>(scored, reuseRowObject: false)
        .Select(r => r.PredictedLabel.Select(k => tagNames[(int)k - 1]).ToArray()).ToList();
    var lstm = Accuracy.Split(part, predicted, known);
    var most = Accuracy.Split(part, part.Select(s => baseline.Tag(s.Words)).ToList(), known);
    Console.WriteLine($"{name}: LSTM tagger {metrics.Accuracy:P2} (known words {lstm.Known:P2}, unknown {lstm.Unknown:P2}, " +
        $"{lstm.UnknownShare:P1} of words unknown); most-frequent-tag baseline {most.All:P2} (known {most.Known:P2}, " +
        $"unknown {most.Unknown:P2})");
    if (name != "test") continue;
    Console.WriteLine("| tag | precision | recall | F1 |");
    Console.WriteLine("|---|---|---|---|");
    for (int t = 0; t < tagNames.Count; t++)
        Console.WriteLine($"| {tagNames[t]} | {metrics.PerTagPrecision[t]:P1} | {metrics.PerTagRecall[t]:P1} | {metrics.PerTagF1[t]:P1} |");
}

var engine = ml.Model.CreatePredictionEngine<Sentence, Tagged>(model);
string[] example = ["The", "Braves", "clinched", "the", "pennant", "on", "Thursday", "."];
var tags = engine.Predict(new Sentence { Words = example, Tags = [.. example.Select(_ => "NOUN")] }).PredictedLabel;
var keyNames = default(VBuffer<ReadOnlyMemory<char>>);
model.GetOutputSchema(ml.Data.LoadFromEnumerable(train).Schema)["PredictedLabel"].GetKeyValues(ref keyNames);
var names = keyNames.DenseValues().Select(v => v.ToString()).ToArray();
Console.WriteLine(string.Join(" ", example.Zip(tags, (w, k) => $"{w}/{names[k - 1]}")));

/// <summary>One sentence: its words and their coarse tags.</summary>
internal sealed class Sentence
{
    public string[] Words { get; set; } = [];
    public string[] Tags { get; set; } = [];
}

/// <summary>What the example reads back from the scored data.</summary>
internal sealed class Tagged
{
    [KeyType(12)]
    public uint[] PredictedLabel { get; set; } = [];
}

/// <summary>Reads the CoNLL file: token, Brown tag, coarse tag; a blank line between sentences.</summary>
internal static class Conll
{
    public static List<Sentence> Read(string path)
    {
        var result = new List<Sentence>();
        var (words, tags) = (new List<string>(), new List<string>());
        foreach (var line in File.ReadLines(path).Append(""))
        {
            if (line.Length == 0)
            {
                if (words.Count > 0) result.Add(new Sentence { Words = [.. words], Tags = [.. tags] });
                (words, tags) = (new List<string>(), new List<string>());
                continue;
            }
            var cols = line.Split('\t');
            if (cols.Length != 3) throw new InvalidDataException($"{path}: '{line}' does not have 3 tab-separated columns.");
            words.Add(cols[0]);
            tags.Add(cols[2]);
        }
        return result;
    }
}

/// <summary>The baseline: each training word's most frequent tag; unseen words get the most frequent tag overall.</summary>
internal sealed class MostFrequentTag(Dictionary<string, string> byWord, string overall)
{
    public static MostFrequentTag Learn(IEnumerable<Sentence> sentences)
    {
        var pairs = sentences.SelectMany(s => s.Words.Zip(s.Tags)).ToList();
        var byWord = pairs.GroupBy(p => p.First)
            .ToDictionary(g => g.Key, g => g.GroupBy(p => p.Second).OrderByDescending(t => t.Count()).ThenBy(t => t.Key).First().Key);
        string overall = pairs.GroupBy(p => p.Second).OrderByDescending(g => g.Count()).First().Key;
        return new MostFrequentTag(byWord, overall);
    }

    public string[] Tag(string[] words) => [.. words.Select(w => byWord.GetValueOrDefault(w, overall))];
}

/// <summary>Token accuracy on all words, and on words seen / not seen in the training part.</summary>
internal static class Accuracy
{
    public static (double All, double Known, double Unknown, double UnknownShare) Split(List<Sentence> gold, List<string[]> predicted,
        HashSet<string> known)
    {
        long right = 0, total = 0, knownRight = 0, knownTotal = 0;
        for (int i = 0; i < gold.Count; i++)
            for (int t = 0; t < gold[i].Words.Length; t++)
            {
                bool ok = gold[i].Tags[t] == predicted[i][t], seen = known.Contains(gold[i].Words[t]);
                right += ok ? 1 : 0;
                total++;
                if (!seen) continue;
                knownRight += ok ? 1 : 0;
                knownTotal++;
            }
        return ((double)right / total, (double)knownRight / knownTotal, (double)(right - knownRight) / (total - knownTotal),
            (double)(total - knownTotal) / total);
    }
}
