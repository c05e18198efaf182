using Microsoft.ML.Data;
using static Microsoft.ML.Lstm.Tests.Forecasting.ForecastInputErrorTests;
using static Microsoft.ML.Lstm.Tests.MLNet.BadInput.SequenceModels;

namespace Microsoft.ML.Lstm.Tests.MLNet.BadInput;

/// <summary>A featurizer trained once (regression label, one epoch) for the rows of <see cref="FeaturizerBadInputTests"/>.</summary>
public sealed class FeaturizerModel
{
    public MLContext Ml { get; } = new(seed: 1);

    public FeaturizerModel() => Model = Estimator(nameof(SeqRow.Value)).Fit(LstmTestData.Load(Ml, 20, 1));

    public LstmFeaturizerTransformer Model { get; }

    /// <summary>A featurizer learned from <paramref name="label"/>, or self-supervised (next step) when it is null.</summary>
    public LstmFeaturizerEstimator Estimator(string? label, int epochs = 1) => Ml.Transforms.LstmFeaturizer(new LstmFeaturizerOptions
    {
        OutputColumnName = "Encoded", FeatureColumnName = nameof(SeqRow.Features), LabelColumnName = label, FeaturesPerStep = 2,
        HiddenSize = 8, NumberOfEpochs = epochs, BatchSize = 16, LearningRate = 1e-2, Seed = 5, NumberOfThreads = 2,
    });

    public float[][] Encode(IEnumerable<SeqRow> rows) =>
        Model.Transform(Ml.Data.LoadFromEnumerable(rows)).GetColumn<float[]>("Encoded").ToArray();

    public float[] Predict(SeqRow row) => Ml.Model.CreatePredictionEngine<SeqRow, Encoding>(Model).Predict(row).Encoded;

    /// <summary>The featurizer's output read by a PredictionEngine.</summary>
    public sealed class Encoding
    {
        public float[] Encoded { get; set; } = [];
    }
}

/// <summary>
/// The bad-input matrix of <c>mlContext.Transforms.LstmFeaturizer</c> (docs/bad-input.md), learned from a label and without one.
/// Schema errors at Fit are in <see cref="LstmFeaturizerTests"/>, single-step sequences without a label in
/// <see cref="SelfSupervisedFeaturizerTests"/>.
/// </summary>
public class FeaturizerBadInputTests(FeaturizerModel featurizer) : IClassFixture<FeaturizerModel>
{
    private const string Column = $"Feature column '{nameof(SeqRow.Features)}'";

    [Theory]
    [InlineData("NaN")]
    [InlineData("+Inf")]
    [InlineData("-Inf")]
    [InlineData("empty")]
    [InlineData("not a multiple")]
    public void BadFeatures_FailAlikeAtBothFitsTransformAndPredictionEngine(string row)
    {
        var rows = LstmTestData.Rows(20, 1);
        var (spoil, problem) = SequenceTrainerBadInputTests.BadFeature(row);
        spoil(rows[Bad]);
        var data = featurizer.Ml.Data.LoadFromEnumerable(rows);
        Fails(() => featurizer.Estimator(nameof(SeqRow.Value)).Fit(data), $"{Column}, row {Bad}: ", problem);
        Fails(() => featurizer.Estimator(null).Fit(data), $"{Column}, row {Bad}: ", problem);
        Fails(() => featurizer.Encode(rows), $"{Column}, row {Bad}: ", problem);
        Fails(() => featurizer.Predict(rows[Bad]), $"{Column}, row 0: ", problem);
    }

    /// <summary>A NaN label fails a featurizer learned from it; one learned without a label, and scoring, never read it.</summary>
    [Fact]
    public void NaNLabel_FailsTheSupervisedFitOnly()
    {
        var rows = LstmTestData.Rows(20, 1);
        rows[Bad].Value = float.NaN;
        var data = featurizer.Ml.Data.LoadFromEnumerable(rows);
        Fails(() => featurizer.Estimator(nameof(SeqRow.Value)).Fit(data), $"Label column 'Value', row {Bad}: the label is NaN");
        Assert.Equal(20, featurizer.Estimator(null).Fit(data).Transform(data).GetColumn<float[]>("Encoded").Count());
        Assert.Equal(featurizer.Encode(LstmTestData.Rows(20, 1)), featurizer.Encode(rows));
    }

    [Fact]
    public void RaggedLengths_EachRowEncodesAsItDoesAlone()
    {
        var rows = LstmTestData.Rows(12, 9);
        var together = featurizer.Encode(rows);
        for (int i = 0; i < rows.Count; i++) Assert.Equal(together[i], featurizer.Predict(rows[i]));
    }

    [Fact]
    public void MissingOrWrongTypedFeatureColumn_IsNamedAtTransformAndPredictionEngine()
    {
        var ml = featurizer.Ml;
        Fails(() => featurizer.Model.Transform(ml.Data.LoadFromEnumerable(new[] { new SequenceTrainerBadInputTests.OtherRow() })),
            "feature column 'Features' was not found");
        Fails(() => ml.Model.CreatePredictionEngine<SequenceTrainerBadInputTests.DoubleRow, FeaturizerModel.Encoding>(featurizer.Model),
            $"{Column} has type Vector<Double>; expected a vector of Single");
    }

    /// <summary>Zero rows fail both fits naming the column; one row trains; a binary label of one class is refused.</summary>
    [Fact]
    public void ZeroRowsOneRowAndOneClass()
    {
        var ml = featurizer.Ml;
        var none = ml.Data.LoadFromEnumerable(new List<SeqRow>());
        Fails(() => featurizer.Estimator(nameof(SeqRow.Value)).Fit(none), "no rows (feature column 'Features')");
        Fails(() => featurizer.Estimator(null).Fit(none), "no rows (feature column 'Features')");
        Assert.Empty(featurizer.Encode([]));
        var one = LstmTestData.Load(ml, 1, 1);
        Assert.Equal(8, featurizer.Estimator(nameof(SeqRow.Value)).Fit(one).FeatureCount);
        Assert.Equal(8, featurizer.Estimator(null).Fit(one).FeatureCount);
        var rows = LstmTestData.Rows(20, 1);
        rows.ForEach(r => r.Flag = true);
        Fails(() => featurizer.Estimator(nameof(SeqRow.Flag)).Fit(ml.Data.LoadFromEnumerable(rows)), "'Flag' is True in all 20");
    }

    /// <summary>Regression labels of 1e-6 and 1e9 scale learn the encoding that labels of scale 1 do (targets are standardized).</summary>
    [Theory]
    [InlineData(1e-6)]
    [InlineData(1e9)]
    public void ExtremeLabelScales_LearnTheUnitScaleEncoding(double scale)
    {
        float[][] Encode(double s)
        {
            var rows = LstmTestData.Rows(60, 1);
            rows.ForEach(r => r.Value = (float)(r.Value * s));
            var data = featurizer.Ml.Data.LoadFromEnumerable(rows);
            return featurizer.Estimator(nameof(SeqRow.Value), epochs: 3).Fit(data).Transform(data).GetColumn<float[]>("Encoded").ToArray();
        }
        var unit = Encode(1);
        var scaled = Encode(scale);
        for (int i = 0; i < unit.Length; i++)
            for (int j = 0; j < unit[i].Length; j++) Assert.Equal(unit[i][j], scaled[i][j], 1e-3);
    }
}
