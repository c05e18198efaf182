using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm.Tests.MLNet.BadInput;

/// <summary>
/// A tagger (<c>LstmTagger</c>) and a CTC model (<c>LstmCtc</c>) over float steps, each trained once (20 rows, one epoch) for
/// <see cref="TaggerCtcBadInputTests"/>. Tags: 2 when a step's first feature is positive, else 1; CTC labels: the first two tags
/// shifted into 2..3 over frames of 4 values (two steps of <see cref="LstmTestData"/> each).
/// </summary>
public sealed class StepLabelModels
{
    public MLContext Ml { get; } = new(seed: 1);

    public StepLabelModels()
    {
        Tagger = TaggerTrainer().Fit(Ml.Data.LoadFromEnumerable(Tags(20)));
        Ctc = CtcTrainer().Fit(Ml.Data.LoadFromEnumerable(Frames(20)));
    }

    public LstmTransformer Tagger { get; }

    public LstmTransformer Ctc { get; }

    public LstmTrainer TaggerTrainer() => Ml.MulticlassClassification.Trainers.LstmTagger(LstmTestData.Options("Label", epochs: 1));

    public LstmTrainer CtcTrainer()
    {
        var o = LstmTestData.Options("Label", epochs: 1);
        (o.FeatureColumnName, o.FeaturesPerStep) = (nameof(FrameRow.Frames), 4);
        return Ml.MulticlassClassification.Trainers.LstmCtc(o);
    }

    public static List<TagRow> Tags(int count) => [.. LstmTestData.Rows(count, 1).Select(r => new TagRow
    {
        Features = r.Features,
        Label = [.. Enumerable.Range(0, r.Features.Length / 2).Select(t => r.Features[2 * t] > 0 ? 2u : 1u)],
    })];

    public static List<FrameRow> Frames(int count) => [.. Tags(count).Select(r => new FrameRow
    {
        Frames = [.. r.Features, .. r.Features],
        Label = [.. r.Label.Take(2).Select(k => k + 1)],
    })];

    /// <summary>The predicted keys of every row through Transform.</summary>
    public uint[][] Transform(LstmTransformer model, IDataView data) => model.Transform(data).GetColumn<uint[]>("PredictedLabel").ToArray();

    /// <summary>Float steps (2 per step) with one tag key (1..2) per step.</summary>
    public sealed class TagRow
    {
        public float[] Features { get; set; } = [];

        [KeyType(2), VectorType]
        public uint[] Label { get; set; } = [];
    }

    /// <summary>Frames (4 values each) with an unaligned label sequence of keys 1..4.</summary>
    public sealed class FrameRow
    {
        public float[] Frames { get; set; } = [];

        [KeyType(4), VectorType]
        public uint[] Label { get; set; } = [];
    }

    /// <summary>What a PredictionEngine reads back from the tagger.</summary>
    public sealed class TagKeys
    {
        [KeyType(2)]
        public uint[] PredictedLabel { get; set; } = [];
    }

    /// <summary>What a PredictionEngine reads back from the CTC model.</summary>
    public sealed class FrameKeys
    {
        [KeyType(4)]
        public uint[] PredictedLabel { get; set; } = [];
    }
}
