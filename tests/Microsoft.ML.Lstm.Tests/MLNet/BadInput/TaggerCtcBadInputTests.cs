using static Microsoft.ML.Lstm.Tests.Forecasting.ForecastInputErrorTests;
using static Microsoft.ML.Lstm.Tests.MLNet.BadInput.SequenceModels;
using static Microsoft.ML.Lstm.Tests.MLNet.BadInput.StepLabelModels;

namespace Microsoft.ML.Lstm.Tests.MLNet.BadInput;

/// <summary>
/// The bad-input matrix of <c>MulticlassClassification.Trainers.LstmTagger</c> and <c>.LstmCtc</c> (docs/bad-input.md). Label
/// vectors are read at Fit only: scoring gives the same keys whatever they hold. Other cells: <see cref="TaggerTests"/> (tags of
/// another length over words, schema errors), <see cref="CtcTrainerTests"/> (labels too long for their frames, token features).
/// </summary>
public class TaggerCtcBadInputTests(StepLabelModels models) : IClassFixture<StepLabelModels>
{
    [Theory]
    [InlineData("tagger", "NaN")]
    [InlineData("tagger", "+Inf")]
    [InlineData("tagger", "-Inf")]
    [InlineData("tagger", "empty")]
    [InlineData("tagger", "not a multiple")]
    [InlineData("ctc", "NaN")]
    [InlineData("ctc", "+Inf")]
    [InlineData("ctc", "-Inf")]
    [InlineData("ctc", "empty")]
    [InlineData("ctc", "not a multiple")]
    public void BadFeatures_FailAlikeAtFitTransformAndPredictionEngine(string model, string row)
    {
        var (spoil, problem) = SequenceTrainerBadInputTests.BadFeature(row);
        if (model == "tagger")
        {
            var rows = Tags(20);
            var seq = new SeqRow { Features = rows[Bad].Features };
            spoil(seq);
            rows[Bad].Features = seq.Features;
            const string column = "Feature column 'Features'";
            Fails(() => models.TaggerTrainer().Fit(models.Ml.Data.LoadFromEnumerable(rows)), $"{column}, row {Bad}: ", problem);
            Fails(() => models.Transform(models.Tagger, models.Ml.Data.LoadFromEnumerable(rows)), $"{column}, row {Bad}: ", problem);
            Fails(() => models.Ml.Model.CreatePredictionEngine<TagRow, TagKeys>(models.Tagger).Predict(rows[Bad]), $"{column}, row 0: ",
                problem);
        }
        else
        {
            var rows = Frames(20);
            var seq = new SeqRow { Features = rows[Bad].Frames };
            spoil(seq);
            rows[Bad].Frames = seq.Features;
            problem = problem.Replace("FeaturesPerStep = 2", "FeaturesPerStep = 4");
            const string column = "Feature column 'Frames'";
            Fails(() => models.CtcTrainer().Fit(models.Ml.Data.LoadFromEnumerable(rows)), $"{column}, row {Bad}: ", problem);
            Fails(() => models.Transform(models.Ctc, models.Ml.Data.LoadFromEnumerable(rows)), $"{column}, row {Bad}: ", problem);
            Fails(() => models.Ml.Model.CreatePredictionEngine<FrameRow, FrameKeys>(models.Ctc).Predict(rows[Bad]), $"{column}, row 0: ",
                problem);
        }
    }

    /// <summary>An empty word vector (a tagger over text) or token-key vector fails like an empty float sequence.</summary>
    [Fact]
    public void EmptyWordOrTokenSequence_IsNamed()
    {
        var ml = models.Ml;
        var sentences = TaggerTests.Sentences(10, 1, newStems: false);
        (sentences[Bad].Words, sentences[Bad].Tags) = ([], []);
        var tagger = ml.Transforms.Conversion.MapValueToKey("Label", nameof(TaggerTests.TagRow.Tags))
            .Append(ml.MulticlassClassification.Trainers.LstmTagger("Label", nameof(TaggerTests.TagRow.Words)));
        Fails(() => tagger.Fit(ml.Data.LoadFromEnumerable(sentences)), $"Feature column 'Words', row {Bad}: the sequence is empty");
        var tokens = Enumerable.Range(0, 10).Select(i => new BadRowTests.TokenRow { Tokens = [1, 2, (uint)(1 + i % 4)], Flag = i % 2 == 0 })
            .ToList();
        tokens[Bad].Tokens = [];
        var o = LstmTestData.Options(nameof(BadRowTests.TokenRow.Flag), epochs: 1);
        (o.FeatureColumnName, o.FeaturesPerStep, o.EmbeddingSize) = (nameof(BadRowTests.TokenRow.Tokens), 1, 4);
        Fails(() => ml.BinaryClassification.Trainers.Lstm(o).Fit(ml.Data.LoadFromEnumerable(tokens)),
            $"Feature column 'Tokens', row {Bad}: the sequence is empty");
    }

    /// <summary>Bad tag vectors fail Fit naming the row, the step and what to do; scoring does not read them.</summary>
    [Theory]
    [InlineData("fewer tags than steps", "labels for a sequence of")]
    [InlineData("missing tag key", "the key of step 0 is missing (0)")]
    [InlineData("tag key beyond the key count", "the key 5 of step 0 exceeds the key count 2")]
    public void BadTags_FailFitAndAreNotReadAtScoring(string row, string problem)
    {
        var rows = Tags(20);
        var tags = rows[Bad].Label;
        rows[Bad].Label = row switch
        {
            "fewer tags than steps" => tags[..^1],
            "missing tag key" => [0, .. tags[1..]],
            _ => [5, .. tags[1..]],
        };
        var data = models.Ml.Data.LoadFromEnumerable(rows);
        Fails(() => models.TaggerTrainer().Fit(data), $"Label column 'Label', row {Bad}: ", problem);
        Assert.Equal(models.Transform(models.Tagger, models.Ml.Data.LoadFromEnumerable(Tags(20))), models.Transform(models.Tagger, data));
    }

    /// <summary>Bad CTC label sequences fail Fit naming the row and what to do; an empty one (all blank) is a valid label.</summary>
    [Theory]
    [InlineData("label longer than its frames", "3 labels need at least 3 steps")]
    [InlineData("missing label key", "label 0 is a missing key (0)")]
    [InlineData("label key beyond the key count", "the key 9 of label 0 exceeds the key count 4")]
    [InlineData("empty label", null)]
    public void BadCtcLabels_FailFitAndAreNotReadAtScoring(string row, string? problem)
    {
        var rows = Frames(20);
        switch (row)
        {
            case "label longer than its frames": (rows[Bad].Frames, rows[Bad].Label) = (rows[Bad].Frames[..4], [2, 3, 2]); break;
            case "missing label key": rows[Bad].Label[0] = 0; break;
            case "label key beyond the key count": rows[Bad].Label[0] = 9; break;
            default: rows[Bad].Label = []; break;
        }
        var data = models.Ml.Data.LoadFromEnumerable(rows);
        if (problem is null) Assert.Equal(20, models.Transform(models.CtcTrainer().Fit(data), data).Length);
        else
        {
            Fails(() => models.CtcTrainer().Fit(data), $"Label column 'Label', row {Bad}: ", problem);
            if (row != "label longer than its frames")
            {
                var clean = models.Ml.Data.LoadFromEnumerable(Frames(20));
                Assert.Equal(models.Transform(models.Ctc, clean), models.Transform(models.Ctc, data));
            }
        }
    }

    /// <summary>A tagger whose every step has one tag is refused (it trained silently); CTC tells one class from the blank.</summary>
    [Fact]
    public void OneClass_IsRefusedForTheTaggerAndTrainsCtc()
    {
        var tags = Tags(20);
        tags.ForEach(r => Array.Fill(r.Label, 1u));
        Fails(() => models.TaggerTrainer().Fit(models.Ml.Data.LoadFromEnumerable(tags)),
            "Label column 'Label' holds key 1 in all 20 training rows (every step)", "at least two classes");
        var frames = Frames(20);
        frames.ForEach(r => Array.Fill(r.Label, 2u));
        var data = models.Ml.Data.LoadFromEnumerable(frames);
        Assert.Equal(20, models.Transform(models.CtcTrainer().Fit(data), data).Length);
    }

    /// <summary>Zero rows fail Fit naming the column and score to nothing; one row trains; ragged rows score as alone.</summary>
    [Fact]
    public void ZeroRowsOneRowAndRaggedLengths()
    {
        var ml = models.Ml;
        Fails(() => models.TaggerTrainer().Fit(ml.Data.LoadFromEnumerable(new List<TagRow>())), "no rows (feature column 'Features')");
        Fails(() => models.CtcTrainer().Fit(ml.Data.LoadFromEnumerable(new List<FrameRow>())), "no rows (feature column 'Frames')");
        Assert.Empty(models.Transform(models.Tagger, ml.Data.LoadFromEnumerable(new List<TagRow>())));
        Assert.Empty(models.Transform(models.Ctc, ml.Data.LoadFromEnumerable(new List<FrameRow>())));
        var oneTag = ml.Data.LoadFromEnumerable(Tags(1));
        Assert.Equal(Tags(1)[0].Label.Length, models.Transform(models.TaggerTrainer().Fit(oneTag), oneTag)[0].Length);
        var oneFrame = ml.Data.LoadFromEnumerable(Frames(1));
        Assert.Single(models.Transform(models.CtcTrainer().Fit(oneFrame), oneFrame));

        var tags = Tags(12);
        var together = models.Transform(models.Tagger, ml.Data.LoadFromEnumerable(tags));
        var engine = ml.Model.CreatePredictionEngine<TagRow, TagKeys>(models.Tagger);
        for (int i = 0; i < tags.Count; i++)
        {
            Assert.Equal(tags[i].Label.Length, together[i].Length);
            Assert.Equal(together[i], engine.Predict(tags[i]).PredictedLabel);
        }
    }

    /// <summary>EvaluateTagging and EvaluateSequences name a gold key beyond the key count (not checked before).</summary>
    [Fact]
    public void Evaluation_NamesAKeyBeyondTheKeyCount()
    {
        var data = models.Ml.Data.LoadFromEnumerable(new[] { new ScoredKeys { Label = [1, 5], PredictedLabel = [1, 2] } });
        Fails(() => models.Ml.MulticlassClassification.EvaluateTagging(data),
            "Label column 'Label', row 0: the key 5 of step 1 exceeds the key count 2");
        Fails(() => models.Ml.MulticlassClassification.EvaluateSequences(data),
            "Label column 'Label', row 0: the key 5 of label 1 exceeds the key count 2");
    }

    [Fact]
    public void MissingOrWrongTypedFeatureColumn_IsNamedAtTransform()
    {
        var ml = models.Ml;
        var other = ml.Data.LoadFromEnumerable(new[] { new SequenceTrainerBadInputTests.OtherRow() });
        Fails(() => models.Tagger.Transform(other), "feature column 'Features' was not found");
        Fails(() => models.Ctc.Transform(other), "feature column 'Frames' was not found");
        var doubles = ml.Data.LoadFromEnumerable(new[] { new SequenceTrainerBadInputTests.DoubleRow() });
        Fails(() => models.Tagger.Transform(doubles), "Feature column 'Features' has type Vector<Double>");
    }

    /// <summary>Gold and predicted key vectors of two classes.</summary>
    public sealed class ScoredKeys
    {
        [Microsoft.ML.Data.KeyType(2), Microsoft.ML.Data.VectorType]
        public uint[] Label { get; set; } = [];

        [Microsoft.ML.Data.KeyType(2), Microsoft.ML.Data.VectorType]
        public uint[] PredictedLabel { get; set; } = [];
    }
}
