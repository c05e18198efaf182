using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// The tagger (<c>MulticlassClassification.Trainers.LstmTagger</c>) on a small language whose tags need the word's ending and
/// its left context: determiners (DET), nouns ending in -ion or -ment (NOUN), verbs ending in -ed (VERB), and "run", a NOUN
/// after a determiner and a VERB elsewhere. Test sentences use noun and verb stems never seen in training.
/// </summary>
public class TaggerTests(ITestOutputHelper output)
{
    internal sealed class TagRow
    {
        public string[] Words { get; set; } = [];
        public string[] Tags { get; set; } = [];
    }

    private sealed class TagPrediction
    {
        [KeyType(3)]
        public uint[] PredictedLabel { get; set; } = [];

        public float[] Score { get; set; } = [];
    }

    internal static List<TagRow> Sentences(int count, int seed, bool newStems)
    {
        var rng = new Random(seed);
        // New stems use only every other letter from 'b' on: most of them never occur in training.
        char Letter() => (char)('b' + rng.Next(newStems ? 12 : 24) * (newStems ? 2 : 1));
        string Stem() => new([.. Enumerable.Range(0, 3 + rng.Next(3)).Select(_ => Letter())]);
        string[] dets = ["the", "a", "The", "A"];
        var rows = new List<TagRow>();
        for (int i = 0; i < count; i++)
        {
            var (words, tags) = (new List<string>(), new List<string>());
            int n = 3 + rng.Next(5);
            for (int t = 0; t < n; t++)
            {
                int kind = rng.Next(4);
                bool afterDet = tags.Count > 0 && tags[^1] == "DET";
                if (kind == 0 && !afterDet) { words.Add(dets[rng.Next(dets.Length)]); tags.Add("DET"); }
                else if (kind == 1) { words.Add(Stem() + (rng.Next(2) == 0 ? "ion" : "ment")); tags.Add("NOUN"); }
                else if (kind == 2) { words.Add(Stem() + "ed"); tags.Add("VERB"); }
                else { words.Add("run"); tags.Add(afterDet ? "NOUN" : "VERB"); }
            }
            rows.Add(new TagRow { Words = [.. words], Tags = [.. tags] });
        }
        return rows;
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml, int epochs = 6) =>
        ml.Transforms.Conversion.MapValueToKey("Label", nameof(TagRow.Tags))
            .Append(ml.MulticlassClassification.Trainers.LstmTagger(new LstmOptions
            {
                FeatureColumnName = nameof(TagRow.Words), EmbeddingSize = 8, HiddenSize = 16, Bidirectional = true,
                NumberOfEpochs = epochs, BatchSize = 16, LearningRate = 1e-2, Seed = 4,
            }));

    [Fact]
    public void NewWordsAreTaggedByTheirEndingsAndAmbiguousWordsByContext()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Sentences(400, 1, newStems: false));
        var model = Pipeline(ml).Fit(train);
        var testRows = Sentences(100, 2, newStems: true);
        var scored = model.Transform(ml.Data.LoadFromEnumerable(testRows));
        var m = ml.MulticlassClassification.EvaluateTagging(scored);
        output.WriteLine($"accuracy {m.Accuracy:P2} on {m.NumberOfTokens} tokens; tags {string.Join(" ", m.TagNames)}");
        Assert.True(m.Accuracy > 0.97, $"accuracy {m.Accuracy:P2}");

        var names = m.TagNames;
        var predicted = ml.Data.CreateEnumerable<TagPrediction>(scored, reuseRowObject: false).ToList();
        int runRight = 0, runs = 0;
        for (int i = 0; i < testRows.Count; i++)
        {
            Assert.Equal(testRows[i].Words.Length, predicted[i].PredictedLabel.Length);
            Assert.Equal(testRows[i].Words.Length * 3, predicted[i].Score.Length);
            for (int t = 0; t < testRows[i].Words.Length; t++)
            {
                Assert.Equal(1f, predicted[i].Score.AsSpan(3 * t, 3).ToArray().Sum(), 4);
                if (testRows[i].Words[t] != "run") continue;
                runs++;
                if (names[(int)predicted[i].PredictedLabel[t] - 1] == testRows[i].Tags[t]) runRight++;
            }
        }
        output.WriteLine($"'run' right {runRight} of {runs}");
        Assert.True(runRight >= 0.95 * runs, $"'run' right {runRight} of {runs}");
    }

    /// <summary>
    /// Key tokens train through the same path; a key vector carries nothing of a word unseen in training (its key is the
    /// missing key), which is why words are better given as text: held out, keys reach well below the 97% of words.
    /// </summary>
    [Fact]
    public void KeyTokensAreTaggedToo()
    {
        var ml = new MLContext(seed: 1);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Tokens", nameof(TagRow.Words))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", nameof(TagRow.Tags)))
            .Append(ml.MulticlassClassification.Trainers.LstmTagger(new LstmOptions
            {
                FeatureColumnName = "Tokens", EmbeddingSize = 8, HiddenSize = 16, Bidirectional = true, NumberOfEpochs = 20,
                BatchSize = 16, LearningRate = 1e-2, Seed = 4,
            }));
        var all = Sentences(500, 8, newStems: false);
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(all[..400]));
        var seen = ml.MulticlassClassification.EvaluateTagging(model.Transform(ml.Data.LoadFromEnumerable(all[..400])));
        var unseen = ml.MulticlassClassification.EvaluateTagging(model.Transform(ml.Data.LoadFromEnumerable(all[400..])));
        output.WriteLine($"key tokens: accuracy {seen.Accuracy:P2} on the training rows, {unseen.Accuracy:P2} held out");
        Assert.True(seen.Accuracy > 0.97, $"accuracy {seen.Accuracy:P2}");
    }

    private sealed class SignalRow
    {
        public float[] Features { get; set; } = [];
        public string[] Tags { get; set; } = [];
    }

    /// <summary>Float steps (2 values each): a step is "up" when its first value plus the previous step's is positive.</summary>
    [Fact]
    public void FloatStepsAreTaggedWithTheirContext()
    {
        var rng = new Random(3);
        SignalRow Row()
        {
            int n = 4 + rng.Next(6);
            var x = Enumerable.Range(0, 2 * n).Select(_ => (float)(2 * rng.NextDouble() - 1)).ToArray();
            return new SignalRow
            {
                Features = x,
                Tags = [.. Enumerable.Range(0, n).Select(t => x[2 * t] + (t > 0 ? x[2 * t - 2] : 0) > 0 ? "up" : "down")],
            };
        }
        var ml = new MLContext(seed: 1);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(SignalRow.Tags))
            .Append(ml.MulticlassClassification.Trainers.LstmTagger(new LstmOptions
            {
                FeaturesPerStep = 2, HiddenSize = 16, Bidirectional = true, NumberOfEpochs = 15, BatchSize = 16, LearningRate = 1e-2,
                Seed = 4,
            }));
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(Enumerable.Range(0, 600).Select(_ => Row()).ToList()));
        var m = ml.MulticlassClassification.EvaluateTagging(
            model.Transform(ml.Data.LoadFromEnumerable(Enumerable.Range(0, 100).Select(_ => Row()).ToList())));
        output.WriteLine($"float steps: accuracy {m.Accuracy:P2}");
        Assert.True(m.Accuracy > 0.93, $"accuracy {m.Accuracy:P2}");
    }

    [Fact]
    public void SaveLoadPredictionEngineAndSeedGiveIdenticalTags()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Sentences(120, 3, newStems: false));
        var model = Pipeline(ml, epochs: 2).Fit(train);
        var again = Pipeline(ml, epochs: 2).Fit(train);
        var test = ml.Data.LoadFromEnumerable(Sentences(20, 4, newStems: true));
        var scores = model.Transform(test).GetColumn<float[]>("Score").ToArray();
        Assert.Equal(scores, again.Transform(test).GetColumn<float[]>("Score").ToArray());

        using var dir = new TempDirectory();
        ml.Model.Save(model, train.Schema, dir.File("tagger.zip"));
        var loaded = new MLContext(seed: 9).Model.Load(dir.File("tagger.zip"), out _);
        Assert.Equal(scores, loaded.Transform(test).GetColumn<float[]>("Score").ToArray());
        var row = Sentences(1, 5, newStems: true)[0];
        var before = ml.Model.CreatePredictionEngine<TagRow, TagPrediction>(model).Predict(row);
        var after = ml.Model.CreatePredictionEngine<TagRow, TagPrediction>(loaded).Predict(row);
        Assert.Equal(row.Words.Length, before.PredictedLabel.Length);
        Assert.Equal(before.PredictedLabel, after.PredictedLabel);
        Assert.Equal(before.Score, after.Score);

        string input = dir.File("input.idv"), scored = dir.File("scores.idv");
        using (var f = File.Create(input)) ml.Data.SaveAsBinary(test, f);
        var run = ModelLoadHostProcess.Run(TimeSpan.FromMinutes(2), dir.File("tagger.zip"), input, scored);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(scores, ml.Data.LoadFromBinary(scored).GetColumn<float[]>("Score").ToArray());
    }

    [Fact]
    public void TheEstimatorDescribesPerStepOutputColumns()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Sentences(5, 9, newStems: false));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", nameof(TagRow.Tags)).Fit(data).Transform(data);
        foreach (var trainer in new[]
        {
            ml.MulticlassClassification.Trainers.LstmTagger("Label", nameof(TagRow.Words)),
            ml.MulticlassClassification.Trainers.LstmCtc("Label", nameof(TagRow.Words)),
        })
        {
            var shape = trainer.GetOutputSchema(SchemaShape.Create(keyed.Schema));
            var score = shape.Single(c => c.Name == "Score");
            var predicted = shape.Single(c => c.Name == "PredictedLabel");
            Assert.Equal(SchemaShape.Column.VectorKind.VariableVector, score.Kind);
            Assert.Equal(SchemaShape.Column.VectorKind.VariableVector, predicted.Kind);
            Assert.True(predicted.IsKey);
        }
    }

    [Fact]
    public void ALabelVectorOfAnotherLengthNamesTheRow()
    {
        var ml = new MLContext(seed: 1);
        var rows = Sentences(10, 6, newStems: false);
        rows[7].Tags = rows[7].Tags[..^1];
        var e = Assert.ThrowsAny<ArgumentException>(() => Pipeline(ml, epochs: 1).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("row 7", e.Message);
        Assert.Contains("'Label'", e.Message);
    }

    [Fact]
    public void ALabelThatIsNotAKeyVectorOrAMissingFeatureColumnIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Sentences(10, 7, newStems: false));
        var e = Assert.ThrowsAny<ArgumentException>(() =>
            ml.MulticlassClassification.Trainers.LstmTagger(nameof(TagRow.Tags), nameof(TagRow.Words)).Fit(data));
        Assert.Contains("Label column 'Tags'", e.Message);
        Assert.Contains("vector of keys", e.Message);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", nameof(TagRow.Tags)).Fit(data).Transform(data);
        e = Assert.ThrowsAny<ArgumentException>(() => ml.MulticlassClassification.Trainers.LstmTagger("Label", "Nope").Fit(keyed));
        Assert.Contains("'Nope'", e.Message);
    }

    [Fact]
    public void EvaluateTaggingCountsTokensTagsAndBioSpans()
    {
        var ml = new MLContext(seed: 1);
        // Gold: B-PER I-PER O B-LOC | O B-LOC. Predicted: B-PER O O B-LOC | O B-PER.
        var rows = new[]
        {
            new BioRow { Gold = ["B-PER", "I-PER", "O", "B-LOC"], Guess = ["B-PER", "O", "O", "B-LOC"] },
            new BioRow { Gold = ["O", "B-LOC"], Guess = ["O", "B-PER"] },
        };
        var data = ml.Data.LoadFromEnumerable(rows);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", nameof(BioRow.Gold))
            .Append(ml.Transforms.Conversion.MapValueToKey("PredictedLabel", nameof(BioRow.Guess), keyData: KeyData(ml)))
            .Fit(data).Transform(data);
        var m = ml.MulticlassClassification.EvaluateTagging(keyed);
        Assert.Equal(6, m.NumberOfTokens);
        Assert.Equal(4.0 / 6, m.Accuracy, 12);
        int per = m.TagNames.ToList().IndexOf("B-PER"), loc = m.TagNames.ToList().IndexOf("B-LOC");
        Assert.Equal(0.5, m.PerTagPrecision[per], 12);   // predicted B-PER twice, right once
        Assert.Equal(1.0, m.PerTagRecall[per], 12);
        Assert.Equal(0.5, m.PerTagRecall[loc], 12);
        Assert.Equal(1, m.Confusion(loc, per));
        // Spans: gold PER[0,2) LOC[3,4) LOC[1,2); predicted PER[0,1) LOC[3,4) PER[1,2): one of three matches each way.
        Assert.Equal(1.0 / 3, m.SpanPrecision!.Value, 12);
        Assert.Equal(1.0 / 3, m.SpanRecall!.Value, 12);
    }

    private static IDataView KeyData(MLContext ml) =>
        ml.Data.LoadFromEnumerable(new[] { "B-PER", "I-PER", "O", "B-LOC" }.Select(t => new KeyName { Tag = t }));

    private sealed class KeyName
    {
        public string Tag { get; set; } = "";
    }

    private sealed class BioRow
    {
        public string[] Gold { get; set; } = [];
        public string[] Guess { get; set; } = [];
    }
}
