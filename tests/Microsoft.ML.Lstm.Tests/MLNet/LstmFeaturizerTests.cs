using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// mlContext.Transforms.LstmFeaturizer: an encoder learned from a label, or taken from a trained LstmTransformer, whose
/// output other ML.NET trainers learn from; saved and loaded in a fresh process; seeded; schema errors name the column.
/// </summary>
public class LstmFeaturizerTests(ITestOutputHelper output)
{
    private static LstmFeaturizerOptions Options(string? label, bool bidirectional = false) => new()
    {
        OutputColumnName = "Encoded", FeatureColumnName = nameof(SeqRow.Features), LabelColumnName = label, FeaturesPerStep = 2,
        HiddenSize = 12, Bidirectional = bidirectional, NumberOfEpochs = 30, BatchSize = 16, LearningRate = 1e-2, Seed = 5,
        NumberOfThreads = 2, Pooling = LstmPooling.Mean,
    };

    [Fact]
    public void SupervisedEncoding_FeedsAnotherTrainer_AndThePipelineLoadsInAnotherProcessWithIdenticalScores()
    {
        var ml = new MLContext(seed: 1);
        var train = LstmTestData.Load(ml, 400, 31);
        var test = LstmTestData.Load(ml, 200, 32);
        var pipeline = ml.Transforms.LstmFeaturizer(Options(nameof(SeqRow.Flag), bidirectional: true))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(nameof(SeqRow.Flag), "Encoded"));
        var model = pipeline.Fit(train);
        var featurizer = model.OfType<LstmFeaturizerTransformer>().Single();
        Assert.Equal(24, featurizer.FeatureCount);   // 12 hidden units per direction, both directions
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 24), model.GetOutputSchema(train.Schema)["Encoded"].Type);
        var scored = model.Transform(test);
        double accuracy = ml.BinaryClassification.Evaluate(scored, nameof(SeqRow.Flag)).Accuracy;
        output.WriteLine($"SDCA on the LSTM encoding: test accuracy {accuracy:P1}");
        Assert.True(accuracy > 0.8, $"accuracy {accuracy:P1} (the majority class is about 55 %)");

        using var dir = new TempDirectory();
        string modelPath = dir.File("model.zip"), inputPath = dir.File("input.idv"), outputPath = dir.File("scores.idv");
        ml.Model.Save(model, train.Schema, modelPath);
        using (var f = File.Create(inputPath)) ml.Data.SaveAsBinary(test, f);
        var run = ModelLoadHostProcess.Run(TimeSpan.FromMinutes(2), modelPath, inputPath, outputPath);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("chain element: Microsoft.ML.Lstm.LstmFeaturizerTransformer", run.StandardOutput);
        var there = ml.Data.LoadFromBinary(outputPath);
        foreach (string column in new[] { "Encoded" })
        {
            var a = scored.GetColumn<float[]>(column).ToArray();
            var b = there.GetColumn<float[]>(column).ToArray();
            Assert.Equal(a.Length, b.Length);
            for (int i = 0; i < a.Length; i++)
                Assert.Equal(a[i].Select(BitConverter.SingleToInt32Bits), b[i].Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Equal(scored.GetColumn<float>("Score"), there.GetColumn<float>("Score"));
    }

    [Fact]
    public void ATrainedScorersEncoder_IsWhatItsHeadReads()
    {
        var ml = new MLContext(seed: 1);
        var train = LstmTestData.Load(ml, 200, 41);
        var scorer = ml.Regression.Trainers.Lstm(LstmTestData.Options(nameof(SeqRow.Value), epochs: 3)).Fit(train);
        var featurizer = ml.Transforms.LstmFeaturizer("Encoded", scorer).Fit(train);
        Assert.Same(scorer.Model, featurizer.Model);
        var test = LstmTestData.Load(ml, 30, 42);
        var encoded = featurizer.Transform(test).GetColumn<float[]>("Encoded").ToArray();
        var scores = LstmTestData.Floats(scorer.Transform(test), "Score");
        // Score = head.W · encoding + head.b.
        var p = scorer.Model.Network.Parameters;
        var w = p["head.W"].ToArray();
        float b = p["head.b"][0];
        for (int i = 0; i < scores.Length; i++)
        {
            double y = b;
            for (int j = 0; j < w.Length; j++) y += w[j] * encoded[i][j];
            Assert.Equal(scores[i], y, 1e-4);
        }
    }

    [Fact]
    public void TheSameSeed_GivesTheSameEncoding_AnotherSeedAnother()
    {
        float[][] Encode(int seed)
        {
            var ml = new MLContext(seed: 1);
            var options = Options(nameof(SeqRow.Value));
            (options.Seed, options.NumberOfEpochs) = (seed, 2);
            var data = LstmTestData.Load(ml, 100, 51);
            return ml.Transforms.LstmFeaturizer(options).Fit(data).Transform(data).GetColumn<float[]>("Encoded").ToArray();
        }
        var first = Encode(7);
        Assert.Equal(first, Encode(7));
        Assert.NotEqual(first, Encode(8));
    }

    [Fact]
    public void SchemaErrors_NameTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var data = LstmTestData.Load(ml, 50, 61);
        var missing = Options(nameof(SeqRow.Flag));
        missing.FeatureColumnName = "Sequence";
        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.LstmFeaturizer(missing).Fit(data));
        Assert.Contains("'Sequence'", e.Message);
        var text = Options(nameof(SeqRow.Part));   // a string label: neither Single, Boolean nor key
        e = Assert.Throws<ArgumentException>(() => ml.Transforms.LstmFeaturizer(text).Fit(data));
        Assert.Contains("'Part'", e.Message);
        Assert.Contains("MapValueToKey", e.Message);
        // A featurizer's options without a label are not a trainer's.
        Assert.Equal(nameof(LstmOptions.LabelColumnName),
            Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.Lstm(Options(label: null))).ParamName);
        var noOutput = Options(nameof(SeqRow.Flag));
        noOutput.OutputColumnName = " ";
        Assert.Equal(nameof(LstmFeaturizerOptions.OutputColumnName),
            Assert.Throws<ArgumentException>(() => ml.Transforms.LstmFeaturizer(noOutput)).ParamName);
    }
}
