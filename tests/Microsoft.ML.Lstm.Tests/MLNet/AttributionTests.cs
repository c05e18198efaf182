using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// LstmTransformer.Explain: integrated gradients add up to Score − BaselineScore within 1% with the default (adaptive)
/// points, for every task, float and token input, and find a planted motif.
/// </summary>
public class AttributionTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(LstmTask.Regression, LstmPooling.Last)]
    [InlineData(LstmTask.BinaryClassification, LstmPooling.Attention)]
    [InlineData(LstmTask.MulticlassClassification, LstmPooling.Mean)]
    public void Attributions_AddUpToTheScoreChange_WithinOnePercent(LstmTask task, LstmPooling pooling)
    {
        var ml = new MLContext(seed: 1);
        var data = LstmTestData.Load(ml, 200, 81);
        var options = LstmTestData.Options(task switch
        {
            LstmTask.Regression => nameof(SeqRow.Value),
            LstmTask.BinaryClassification => nameof(SeqRow.Flag),
            _ => "Label",
        }, epochs: 5);
        (options.Bidirectional, options.NumberOfLayers, options.Pooling) = (true, 2, pooling);
        LstmTransformer model = task switch
        {
            LstmTask.Regression => ml.Regression.Trainers.Lstm(options).Fit(data),
            LstmTask.BinaryClassification => ml.BinaryClassification.Trainers.Lstm(options).Fit(data),
            _ => ml.MulticlassClassification.Trainers.Lstm(options)
                .Fit(ml.Transforms.Conversion.MapValueToKey("Label", nameof(SeqRow.Part)).Fit(data).Transform(data)),
        };
        var rows = LstmTestData.Rows(5, 82);
        double worst = 0;
        foreach (var row in rows)
        {
            var a = model.Explain(row.Features);
            output.WriteLine($"{a.NumberOfPoints} points: completeness error {a.CompletenessError():P3}");
            Assert.Equal(row.Features.Length / 2, a.Steps);
            Assert.Equal(2, a.FeaturesPerStep);
            Assert.Equal(task == LstmTask.MulticlassClassification ? 3 : 1, a.Outputs);
            for (int k = 0; k < a.Outputs; k++) worst = Math.Max(worst, a.CompletenessError(k));
        }
        // The score explained is the Score column's value.
        var scored = model.Transform(ml.Data.LoadFromEnumerable(rows));
        var first = model.Explain(rows[0].Features);
        if (task == LstmTask.MulticlassClassification)
            Assert.Equal(scored.GetColumn<float[]>("Score").First(), first.Score.ToArray(), (x, y) => Math.Abs(x - y) < 1e-4);
        else Assert.Equal(scored.GetColumn<float>("Score").First(), first.Score[0], 1e-4);
        output.WriteLine($"{task}, {pooling}: worst completeness error {worst:P3}");
        Assert.True(worst < 0.01, $"completeness error {worst:P2}");
    }

    [Fact]
    public void OnTheMotifTask_ThePlantedMotifCarriesMostOfTheAttribution()
    {
        var ml = new MLContext(seed: 1);
        var rng = new Random(3);
        const string motif = "cadbb";
        Row Make(bool positive)
        {
            var chars = Enumerable.Range(0, 40).Select(_ => "abcd"[rng.Next(4)]).ToArray();
            int at = rng.Next(chars.Length - motif.Length + 1);
            if (positive) motif.CopyTo(0, chars, at, motif.Length);
            return new Row { Text = new string(chars), Label = positive, At = positive ? at : -1 };
        }
        var train = Enumerable.Range(0, 1000).Select(i => Make(i % 2 == 0))
            .Where(r => r.Label || !r.Text.Contains(motif, StringComparison.Ordinal)).ToList();
        var tokenize = ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Tokens", nameof(Row.Text), useMarkerCharacters: false);
        var tokenizer = tokenize.Fit(ml.Data.LoadFromEnumerable(train));
        var model = ml.BinaryClassification.Trainers.Lstm(new LstmOptions
        {
            FeatureColumnName = "Tokens", EmbeddingSize = 8, HiddenSize = 16, Bidirectional = true, Pooling = LstmPooling.Max,
            NumberOfEpochs = 8, LearningRate = 1e-2, Seed = 2, NumberOfThreads = 2,
        }).Fit(tokenizer.Transform(ml.Data.LoadFromEnumerable(train)));

        var test = Enumerable.Range(0, 20).Select(_ => Make(true)).ToList();
        var tokens = tokenizer.Transform(ml.Data.LoadFromEnumerable(test)).GetColumn<ushort[]>("Tokens")
            .Select(keys => keys.Select(k => (uint)k).ToArray()).ToArray();   // character keys are UInt16
        double share = 0, worst = 0;
        int points = 0;
        for (int i = 0; i < test.Count; i++)
        {
            var a = model.Explain(tokens[i]);
            var steps = a.StepTotals();
            double inMotif = steps.Skip(test[i].At).Take(motif.Length).Sum(v => (double)Math.Abs(v));
            share += inMotif / steps.Sum(v => (double)Math.Abs(v)) / test.Count;
            worst = Math.Max(worst, a.CompletenessError());
            points = Math.Max(points, a.NumberOfPoints);
        }
        output.WriteLine($"motif steps' share of |attribution|: {share:P1} (5 of 40 steps = 12.5%); completeness error ≤ {worst:P3} " +
            $"with up to {points} points");
        Assert.True(share > 0.5, $"the motif's 5 steps carry {share:P1} of the attribution");
        Assert.True(worst < 0.01, $"completeness error {worst:P2}");
    }

    [Fact]
    public void BadInput_IsRefusedByName()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Regression.Trainers.Lstm(LstmTestData.Options(nameof(SeqRow.Value), epochs: 1)).Fit(LstmTestData.Load(ml, 30, 1));
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => model.Explain(new float[3])).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => model.Explain([1, float.NaN])).ParamName);
        Assert.Equal("baseline", Assert.Throws<ArgumentException>(() => model.Explain(new float[4], new float[2])).ParamName);
        Assert.Equal("tokens", Assert.Throws<ArgumentException>(() => model.Explain(new uint[] { 1 })).ParamName);
        Assert.Equal("numberOfPoints", Assert.Throws<ArgumentOutOfRangeException>(() => model.Explain(new float[4], null, 0)).ParamName);
    }

    /// <summary>A string, its class and where the motif was planted (−1: nowhere).</summary>
    public sealed class Row
    {
        public string Text { get; set; } = "";
        public bool Label { get; set; }
        public int At { get; set; }
    }
}
