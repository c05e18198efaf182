using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>A featurizer without a label learns from the sequences alone (next token, next step).</summary>
public class SelfSupervisedFeaturizerTests(ITestOutputHelper output)
{
    /// <summary>A string from one of two Markov chains over "abcd" (class true: each letter mostly followed by the next one).</summary>
    public sealed class ChainRow
    {
        public string Text { get; set; } = "";
        public bool Label { get; set; }
    }

    private static List<ChainRow> Chains(int count, int seed)
    {
        var rng = new Random(seed);
        var rows = new List<ChainRow>(count);
        for (int n = 0; n < count; n++)
        {
            bool label = n % 2 == 0;
            var chars = new char[8 + rng.Next(9)];
            int c = rng.Next(4);
            for (int t = 0; t < chars.Length; t++)
            {
                chars[t] = "abcd"[c];
                // Class true steps forward (a→b→c→d→a) 70% of the time, class false backwards; otherwise any letter.
                c = rng.NextDouble() < 0.7 ? (c + (label ? 1 : 3)) % 4 : rng.Next(4);
            }
            rows.Add(new ChainRow { Text = new string(chars), Label = label });
        }
        return rows;
    }

    [Fact]
    public void NextTokenEncoding_SeparatesWhatTheLabelWasNeverShown_AndSavesAndLoads()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Chains(600, 1));
        var test = ml.Data.LoadFromEnumerable(Chains(300, 2));
        var pipeline = ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Tokens", nameof(ChainRow.Text), useMarkerCharacters: false)
            .Append(ml.Transforms.LstmFeaturizer(new LstmFeaturizerOptions
            {
                OutputColumnName = "Encoded", FeatureColumnName = "Tokens", HiddenSize = 16, EmbeddingSize = 8, NumberOfEpochs = 10,
                Pooling = LstmPooling.Mean, LearningRate = 1e-2, Seed = 3, NumberOfThreads = 2,
            }))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(nameof(ChainRow.Label), "Encoded"));
        var model = pipeline.Fit(train);
        var featurizer = model.OfType<LstmFeaturizerTransformer>().Single();
        Assert.Null(featurizer.Model.Options.LabelColumnName);
        Assert.Equal(10, featurizer.Model.TrainingHistory.Count);
        Assert.True(featurizer.Model.TrainingHistory[^1].TrainLoss < featurizer.Model.TrainingHistory[0].TrainLoss,
            "the next-token loss fell");
        var scored = model.Transform(test);
        double accuracy = ml.BinaryClassification.Evaluate(scored, nameof(ChainRow.Label)).Accuracy;
        output.WriteLine($"SDCA on the self-supervised encoding: {accuracy:P1}");
        Assert.True(accuracy > 0.85, $"accuracy {accuracy:P1} (classes balanced)");

        using var dir = new TempDirectory();
        ml.Model.Save(model, train.Schema, dir.File("model.zip"));
        var loaded = new MLContext().Model.Load(dir.File("model.zip"), out _);
        Assert.Equal(scored.GetColumn<float[]>("Encoded"), loaded.Transform(test).GetColumn<float[]>("Encoded"));
    }

    [Fact]
    public void NextStepEncoding_OfFloatSequences_Trains()
    {
        var ml = new MLContext(seed: 1);
        var data = LstmTestData.Load(ml, 100, 71);
        var featurizer = ml.Transforms.LstmFeaturizer(new LstmFeaturizerOptions
        {
            OutputColumnName = "Encoded", FeatureColumnName = nameof(SeqRow.Features), FeaturesPerStep = 2, HiddenSize = 8,
            NumberOfEpochs = 3, Pooling = LstmPooling.Max, Seed = 1,
        }).Fit(data);
        Assert.Equal(3, featurizer.Model.TrainingHistory.Count);
        var encoded = featurizer.Transform(data).GetColumn<float[]>("Encoded").ToArray();
        Assert.All(encoded, e => Assert.Equal(8, e.Length));
        Assert.All(encoded, e => Assert.All(e, v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void WithoutALabel_AttentionIsRefusedByName()
    {
        var ml = new MLContext(seed: 1);
        var estimator = ml.Transforms.LstmFeaturizer(new LstmFeaturizerOptions
        {
            FeatureColumnName = nameof(SeqRow.Features), FeaturesPerStep = 2, Pooling = LstmPooling.Attention,
        });
        var e = Assert.Throws<ArgumentException>(() => estimator.Fit(LstmTestData.Load(ml, 20, 1)));
        Assert.Equal(nameof(LstmOptions.Pooling), e.ParamName);
        Assert.Contains("LabelColumnName", e.Message);
    }

    [Fact]
    public void Bidirectional_LearnsASecondNetworkOnTheReversedSequences_WhoseEncodingFollows()
    {
        var ml = new MLContext(seed: 1);
        var rows = Chains(200, 5);
        var tokenizer = ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Tokens", nameof(ChainRow.Text), useMarkerCharacters: false)
            .Fit(ml.Data.LoadFromEnumerable(rows));
        var data = tokenizer.Transform(ml.Data.LoadFromEnumerable(rows));
        var featurizer = ml.Transforms.LstmFeaturizer(new LstmFeaturizerOptions
        {
            OutputColumnName = "Encoded", FeatureColumnName = "Tokens", HiddenSize = 6, EmbeddingSize = 4, NumberOfEpochs = 2,
            NumberOfLayers = 2, Bidirectional = true, Pooling = LstmPooling.Max, Seed = 3,
        }).Fit(data);
        var backward = featurizer.BackwardModel!;
        Assert.Equal(12, featurizer.FeatureCount);
        Assert.False(featurizer.Model.Options.Bidirectional);   // two one-way stacks, as ELMo
        Assert.Equal(2, backward.TrainingHistory.Count);
        var encoded = featurizer.Transform(data).GetColumn<float[]>("Encoded").ToArray();

        // The second half is the backward network's encoding of each string read backwards.
        var reversed = rows.Select(r => new ChainRow { Text = new string(r.Text.Reverse().ToArray()) }).ToList();
        var alone = ml.Transforms.LstmFeaturizer("Alone", new LstmTransformer(backward))
            .Fit(data).Transform(tokenizer.Transform(ml.Data.LoadFromEnumerable(reversed))).GetColumn<float[]>("Alone").ToArray();
        for (int i = 0; i < rows.Count; i++) Assert.Equal(alone[i], encoded[i][6..]);

        using var dir = new TempDirectory();
        ml.Model.Save(featurizer, data.Schema, dir.File("model.zip"));
        var loaded = new MLContext().Model.Load(dir.File("model.zip"), out _);
        Assert.Equal(encoded, loaded.Transform(data).GetColumn<float[]>("Encoded"));
    }
}
