using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>PredictionEngine, token (key) input and concurrent scoring.</summary>
public class LstmPredictionTests
{
    [Fact]
    public void PredictionEngineMatchesTransformOnTrainedAndLoadedModels()
    {
        var ml = new MLContext(seed: 1);
        var train = LstmTestData.Load(ml, 200, 11);
        var model = ml.BinaryClassification.Trainers.Lstm(LstmTestData.Options(nameof(SeqRow.Flag), epochs: 5)).Fit(train);
        var rows = LstmTestData.Rows(40, 12);
        var expected = LstmTestData.Floats(model.Transform(ml.Data.LoadFromEnumerable(rows)), "Score");

        var engine = ml.Model.CreatePredictionEngine<SeqRow, FlagPrediction>(model);
        Assert.Equal(expected, rows.Select(r => engine.Predict(r).Score).ToArray());

        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "model.zip");
        ml.Model.Save(model, train.Schema, path);
        var loaded = new MLContext().Model.Load(path, out var schema);
        Assert.NotNull(schema.GetColumnOrNull(nameof(SeqRow.Features)));
        var loadedEngine = ml.Model.CreatePredictionEngine<SeqRow, FlagPrediction>(loaded);
        Assert.Equal(expected, rows.Select(r => loadedEngine.Predict(r).Score).ToArray());
    }

    [Fact]
    public void PredictionsFromEightThreadsEqualSequentialOnes()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Transforms.Conversion.MapValueToKey("Label", nameof(SeqRow.Part)).Fit(LstmTestData.Load(ml, 200, 13))
            .Transform(LstmTestData.Load(ml, 200, 13));
        var model = ml.MulticlassClassification.Trainers.Lstm(LstmTestData.Options("Label", epochs: 4)).Fit(train);
        var rows = LstmTestData.Rows(400, 14);
        var engine = ml.Model.CreatePredictionEngine<SeqRow, PartPrediction>(model);
        var sequential = rows.Select(r => engine.Predict(r).Score).ToArray();

        var parallel = new float[rows.Count][];
        var threads = Enumerable.Range(0, 8).Select(k => new Thread(() =>
        {
            var own = ml.Model.CreatePredictionEngine<SeqRow, PartPrediction>(model);
            for (int i = k; i < rows.Count; i += 8) parallel[i] = own.Predict(rows[i]).Score;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        for (int i = 0; i < rows.Count; i++) Assert.Equal(sequential[i], parallel[i]);
    }

    [Fact]
    public void TokenKeysFromTextAreEmbeddedAndLearned()
    {
        var ml = new MLContext(seed: 1);
        var rng = new Random(3);
        TextRow Make()
        {
            int n = 4 + rng.Next(8);
            var chars = Enumerable.Range(0, n).Select(_ => "abcd"[rng.Next(4)]).ToArray();
            return new TextRow { Text = new string(chars), HasPair = new string(chars).Contains("ab") };
        }
        var train = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 800).Select(_ => Make()).ToList());
        var test = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 300).Select(_ => Make()).ToList());
        var options = LstmTestData.Options(nameof(TextRow.HasPair), epochs: 20);
        options.FeatureColumnName = "Tokens";
        options.FeaturesPerStep = 1;
        options.EmbeddingSize = 8;
        var pipeline = ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Tokens", nameof(TextRow.Text), useMarkerCharacters: false)
            .Append(ml.BinaryClassification.Trainers.Lstm(options));
        var model = pipeline.Fit(train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test), nameof(TextRow.HasPair));
        Assert.True(metrics.Accuracy > 0.9, $"accuracy {metrics.Accuracy}");

        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "tokens.zip");
        ml.Model.Save(model, train.Schema, path);
        var loaded = ml.Model.Load(path, out _);
        Assert.Equal(LstmTestData.Floats(model.Transform(test), "Score"), LstmTestData.Floats(loaded.Transform(test), "Score"));
    }

    /// <summary>A text row for token input.</summary>
    public sealed class TextRow
    {
        /// <summary>Characters a–d.</summary>
        public string Text { get; set; } = "";

        /// <summary>Whether "ab" occurs.</summary>
        public bool HasPair { get; set; }
    }
}
