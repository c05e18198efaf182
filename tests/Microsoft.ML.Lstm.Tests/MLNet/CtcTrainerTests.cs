using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// The CTC trainer (<c>MulticlassClassification.Trainers.LstmCtc</c>) on frames that spell letters: each letter of a row's
/// label lasts 1–3 noisy frames of its own pattern, with 0–2 silent frames between letters, so a repeated letter is told
/// apart only by the silence or by its length. Nothing says which frames belong to which letter.
/// </summary>
public class CtcTrainerTests(ITestOutputHelper output)
{
    internal const int F = 4;
    private static readonly string[] Alphabet = ["a", "b", "c", "d"];

    internal sealed class SpokenRow
    {
        public float[] Frames { get; set; } = [];
        public string[] Letters { get; set; } = [];
    }

    private sealed class Reading
    {
        [KeyType(4)]
        public uint[] PredictedLabel { get; set; } = [];

        public float[] Score { get; set; } = [];
    }

    internal static List<SpokenRow> Rows(int count, int seed)
    {
        var rng = new Random(seed);
        var rows = new List<SpokenRow>();
        for (int i = 0; i < count; i++)
        {
            var frames = new List<float>();
            var letters = new List<string>();
            int n = 1 + rng.Next(5);
            for (int k = 0; k < n; k++)
            {
                int c = rng.Next(Alphabet.Length);
                letters.Add(Alphabet[c]);
                int gap = letters.Count > 1 && letters[^2] == letters[^1] ? 1 + rng.Next(2) : rng.Next(3);
                for (int g = 0; g < gap; g++) frames.AddRange(Enumerable.Range(0, F).Select(_ => (float)(0.1 * rng.NextDouble())));
                for (int d = 1 + rng.Next(3); d > 0; d--)
                    frames.AddRange(Enumerable.Range(0, F).Select(f => (f == c ? 1f : 0f) + (float)(0.1 * rng.NextDouble())));
            }
            frames.AddRange(new float[F]);
            rows.Add(new SpokenRow { Frames = [.. frames], Letters = [.. letters] });
        }
        return rows;
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml, int epochs, int beamWidth = 1) =>
        ml.Transforms.Conversion.MapValueToKey("Label", nameof(SpokenRow.Letters),
                keyData: ml.Data.LoadFromEnumerable(Alphabet.Select(a => new { Letter = a })))
            .Append(ml.MulticlassClassification.Trainers.LstmCtc(new LstmOptions
            {
                FeatureColumnName = nameof(SpokenRow.Frames), FeaturesPerStep = F, HiddenSize = 16, Bidirectional = true,
                NumberOfEpochs = epochs, BatchSize = 16, LearningRate = 1e-2, Seed = 7, BeamWidth = beamWidth,
            }));

    [Fact]
    public void LettersAreReadFromUnalignedFrames()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows(600, 1));
        var test = ml.Data.LoadFromEnumerable(Rows(100, 2));
        var greedy = ml.MulticlassClassification.EvaluateSequences(Pipeline(ml, 12).Fit(train).Transform(test));
        var beam = ml.MulticlassClassification.EvaluateSequences(Pipeline(ml, 12, beamWidth: 4).Fit(train).Transform(test));
        output.WriteLine($"greedy: {greedy}\nbeam 4: {beam}");
        Assert.True(greedy.CharacterErrorRate < 0.05, greedy.ToString());
        Assert.True(beam.CharacterErrorRate < 0.05, beam.ToString());
        Assert.Equal(100, greedy.NumberOfSequences);
        Assert.NotNull(greedy.WordErrorRate);
    }

    [Fact]
    public void SaveLoadPredictionEngineAndAnotherProcessGiveTheSameReading()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows(100, 3));
        var model = Pipeline(ml, 2).Fit(train);
        var test = ml.Data.LoadFromEnumerable(Rows(20, 4));
        var scores = model.Transform(test).GetColumn<float[]>("Score").ToArray();
        Assert.Equal(scores, Pipeline(ml, 2).Fit(train).Transform(test).GetColumn<float[]>("Score").ToArray());

        using var dir = new TempDirectory();
        ml.Model.Save(model, train.Schema, dir.File("ctc.zip"));
        var loaded = new MLContext().Model.Load(dir.File("ctc.zip"), out _);
        Assert.Equal(scores, loaded.Transform(test).GetColumn<float[]>("Score").ToArray());
        var row = Rows(1, 5)[0];
        var a = ml.Model.CreatePredictionEngine<SpokenRow, Reading>(model).Predict(row);
        var b = ml.Model.CreatePredictionEngine<SpokenRow, Reading>(loaded).Predict(row);
        Assert.Equal(a.PredictedLabel, b.PredictedLabel);
        Assert.Equal(row.Frames.Length / F * (Alphabet.Length + 1), a.Score.Length);   // the blank, then the four keys

        string input = dir.File("input.idv"), scored = dir.File("scores.idv");
        using (var f = File.Create(input)) ml.Data.SaveAsBinary(test, f);
        var run = ModelLoadHostProcess.Run(TimeSpan.FromMinutes(2), dir.File("ctc.zip"), input, scored);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(scores, ml.Data.LoadFromBinary(scored).GetColumn<float[]>("Score").ToArray());
    }

    [Fact]
    public void LabelsTooLongForTheirFramesNameTheRow()
    {
        var ml = new MLContext(seed: 1);
        var rows = Rows(10, 6);
        rows[4].Frames = rows[4].Frames[..(2 * F)];
        rows[4].Letters = ["a", "b", "c"];
        var e = Assert.ThrowsAny<ArgumentException>(() => Pipeline(ml, 1).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("row 4", e.Message);
        Assert.Contains("at least 3 steps", e.Message);
    }

    [Fact]
    public void TokenFeaturesAreRefusedWithTheColumnNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TaggerTests.Sentences(10, 1, newStems: false));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(TaggerTests.TagRow.Tags))
            .Append(ml.MulticlassClassification.Trainers.LstmCtc("Label", nameof(TaggerTests.TagRow.Words)));
        var e = Assert.ThrowsAny<ArgumentException>(() => pipeline.Fit(data));
        Assert.Contains("'Words'", e.Message);
        Assert.Contains("float frames", e.Message);
    }

    [Fact]
    public void EvaluateSequencesCountsEditsWordsAndExactRows()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[]
        {
            new TextPair { Gold = ["h", "i", " ", "y", "o", "u"], Guess = ["h", "i", " ", "y", "o", "u"] },   // exact
            new TextPair { Gold = ["a", "b", " ", "c"], Guess = ["a", " ", "c", "c"] },                     // 2 edits
        };
        var data = ml.Data.LoadFromEnumerable(rows);
        var keys = ml.Data.LoadFromEnumerable("hiyouabc ".Select(c => new { Key = c.ToString() }));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", nameof(TextPair.Gold), keyData: keys)
            .Append(ml.Transforms.Conversion.MapValueToKey("PredictedLabel", nameof(TextPair.Guess), keyData: keys))
            .Fit(data).Transform(data);
        var m = ml.MulticlassClassification.EvaluateSequences(keyed);
        Assert.Equal(2.0 / 10, m.CharacterErrorRate, 12);
        Assert.Equal(0.5, m.SequenceAccuracy, 12);
        // Words: "hi you" vs "hi you" (0 of 2); "ab c" vs "a cc" (2 of 2).
        Assert.Equal(2.0 / 4, m.WordErrorRate!.Value, 12);
        Assert.Equal(10, m.NumberOfLabels);
    }

    private sealed class TextPair
    {
        public string[] Gold { get; set; } = [];
        public string[] Guess { get; set; } = [];
    }
}
