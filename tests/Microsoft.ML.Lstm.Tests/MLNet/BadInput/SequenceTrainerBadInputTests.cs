using Microsoft.ML.Data;
using static Microsoft.ML.Lstm.Tests.Forecasting.ForecastInputErrorTests;
using static Microsoft.ML.Lstm.Tests.MLNet.BadInput.SequenceModels;

namespace Microsoft.ML.Lstm.Tests.MLNet.BadInput;

/// <summary>
/// The bad-input matrix of <c>Regression/BinaryClassification/MulticlassClassification.Trainers.Lstm</c> (docs/bad-input.md):
/// each row fails with an ArgumentException naming the column, the row and what to do, or has the defined result asserted here.
/// The regression cells of the feature rows and the token rows are in <see cref="BadRowTests"/>, schema errors at Fit in
/// <see cref="LstmSchemaErrorTests"/>; this class runs the same rows for the other tasks and adds the rest.
/// </summary>
public class SequenceTrainerBadInputTests(SequenceModels models) : IClassFixture<SequenceModels>
{
    private const string Column = $"Feature column '{nameof(SeqRow.Features)}'";

    /// <summary>Bad feature values: the same error at Fit, Transform (row 4) and a PredictionEngine (its one row, row 0).</summary>
    [Theory]
    [InlineData(LstmTask.BinaryClassification, "NaN")]
    [InlineData(LstmTask.BinaryClassification, "+Inf")]
    [InlineData(LstmTask.BinaryClassification, "-Inf")]
    [InlineData(LstmTask.BinaryClassification, "empty")]
    [InlineData(LstmTask.BinaryClassification, "not a multiple")]
    [InlineData(LstmTask.MulticlassClassification, "NaN")]
    [InlineData(LstmTask.MulticlassClassification, "+Inf")]
    [InlineData(LstmTask.MulticlassClassification, "-Inf")]
    [InlineData(LstmTask.MulticlassClassification, "empty")]
    [InlineData(LstmTask.MulticlassClassification, "not a multiple")]
    public void BadFeatures_FailAlikeAtFitTransformAndPredictionEngine(LstmTask task, string row)
    {
        var rows = LstmTestData.Rows(20, 1);
        var (spoil, problem) = BadFeature(row);
        spoil(rows[Bad]);
        Fails(() => models.Trainer(task).Fit(models.Load(task, rows)), $"{Column}, row {Bad}: ", problem);
        Fails(() => models.Scores(task, rows), $"{Column}, row {Bad}: ", problem);
        Fails(() => models.Predict(task, rows[Bad]), $"{Column}, row 0: ", problem);
    }

    /// <summary>The spoilers of the bad-feature rows and the problem each message states (±∞ as the culture writes it).</summary>
    internal static (Action<SeqRow> Spoil, string Problem) BadFeature(string row) => row switch
    {
        "NaN" => (r => r.Features[3] = float.NaN, $"value 3 is {float.NaN}"),
        "+Inf" => (r => r.Features[3] = float.PositiveInfinity, $"value 3 is {float.PositiveInfinity}"),
        "-Inf" => (r => r.Features[3] = float.NegativeInfinity, $"value 3 is {float.NegativeInfinity}"),
        "empty" => (r => r.Features = [], "the sequence is empty"),
        "not a multiple" => (r => r.Features = [1f, 2f, 3f], "3 values is not a multiple of FeaturesPerStep = 2"),
        _ => throw new ArgumentOutOfRangeException(nameof(row), row, "no such row"),
    };

    /// <summary>Ragged lengths are supported: each row is scored at its own length, as it is alone in a PredictionEngine.</summary>
    [Theory]
    [InlineData(LstmTask.Regression)]
    [InlineData(LstmTask.BinaryClassification)]
    [InlineData(LstmTask.MulticlassClassification)]
    public void RaggedLengths_EachRowScoresAsItDoesAlone(LstmTask task)
    {
        var rows = LstmTestData.Rows(12, 9);
        Assert.True(rows.Select(r => r.Features.Length).Distinct().Count() > 3);
        var together = models.Scores(task, rows);
        for (int i = 0; i < rows.Count; i++) Assert.Equal(together[i], models.Predict(task, rows[i]));
    }

    /// <summary>A missing feature column or one of another type is named, with what is expected, at Transform and engines.</summary>
    [Theory]
    [InlineData(LstmTask.Regression)]
    [InlineData(LstmTask.BinaryClassification)]
    [InlineData(LstmTask.MulticlassClassification)]
    public void MissingOrWrongTypedFeatureColumn_IsNamedAtTransformAndPredictionEngine(LstmTask task)
    {
        var model = models.Model(task);
        var missing = models.Ml.Data.LoadFromEnumerable(new[] { new OtherRow() });
        Fails(() => model.Transform(missing), "feature column 'Features' was not found", "Columns: Other");
        Fails(() => models.Ml.Model.CreatePredictionEngine<OtherRow, ValuePrediction>(model), "'Features' was not found");
        var doubles = models.Ml.Data.LoadFromEnumerable(new[] { new DoubleRow() });
        Fails(() => model.Transform(doubles), $"{Column} has type Vector<Double>; expected a vector of Single");
        Fails(() => models.Ml.Model.CreatePredictionEngine<DoubleRow, ValuePrediction>(model), "has type Vector<Double>");
        Fails(() => models.Trainer(task).Fit(doubles), $"{Column} has type Vector<Double>");
    }

    /// <summary>Zero rows: Fit names the column and what to check; Transform returns zero rows.</summary>
    [Theory]
    [InlineData(LstmTask.Regression)]
    [InlineData(LstmTask.BinaryClassification)]
    [InlineData(LstmTask.MulticlassClassification)]
    public void ZeroRows_FailAtFitAndScoreToNothing(LstmTask task)
    {
        Fails(() => models.Trainer(task).Fit(models.Load(task, [])), "no rows (feature column 'Features')", "Check the loader");
        Assert.Empty(models.Scores(task, []));
    }

    /// <summary>
    /// One row trains a regression; for a classifier one row is one class, refused like any single-class label (the binary case
    /// was issue 17's; multiclass trained silently and answered a class it had never seen).
    /// </summary>
    [Theory]
    [InlineData(LstmTask.Regression, 1, null)]
    [InlineData(LstmTask.BinaryClassification, 1, "'Flag' is False in all 1 training rows")]
    [InlineData(LstmTask.MulticlassClassification, 1, "'Label' holds key 1 in all 1 training rows")]
    [InlineData(LstmTask.MulticlassClassification, 20, "'Label' holds key 1 in all 20 training rows")]
    public void OneRowOrOneClass_TrainsARegressionAndIsRefusedForAClassifier(LstmTask task, int count, string? refusal)
    {
        var rows = LstmTestData.Rows(count, 1);
        rows.ForEach(r => (r.Part, r.Flag) = (rows[0].Part, false));
        var fit = () => models.Trainer(task).Fit(models.Load(task, rows));
        if (refusal is null)
        {
            var score = LstmTestData.Floats(fit().Transform(models.Load(task, rows)), "Score");
            Assert.True(float.IsFinite(score[0]));
        }
        else Fails(() => fit(), refusal, task == LstmTask.BinaryClassification ? "rows of both classes" : "rows of at least two classes");
    }

    /// <summary>With validation, a row count that leaves nothing to validate on says so and what to change.</summary>
    [Fact]
    public void OneRowWithValidation_SaysWhatToChange()
    {
        var o = LstmTestData.Options(nameof(SeqRow.Value), epochs: 1);
        (o.ValidationFraction, o.EarlyStoppingPatience) = (0.2, 2);
        Fails(() => models.Ml.Regression.Trainers.Lstm(o).Fit(models.Ml.Data.LoadFromEnumerable(LstmTestData.Rows(1, 1))),
            "leaves 0 of 1 sequences for validation", "change ValidationFraction");
    }

    /// <summary>
    /// A class key outside the key type reads as missing in ML.NET (LoadFromEnumerable maps it to 0): Fit names the row and says
    /// so; scoring does not read the label.
    /// </summary>
    [Fact]
    public void OutOfRangeClassKey_IsNamedAsMissingAtFit()
    {
        var rows = LstmTestData.Rows(20, 1).Select((r, i) => new KeyedSeqRow { Features = r.Features, Label = (uint)(i % 3) }).ToList();
        rows[Bad].Label = 7;
        var data = models.Ml.Data.LoadFromEnumerable(rows);
        Fails(() => models.Trainer(LstmTask.MulticlassClassification).Fit(data),
            $"Label column 'Label', row {Bad}: the key is missing (0)", "outside the key type's range");
        Assert.Equal(20, models.Model(LstmTask.MulticlassClassification).Transform(data).GetColumn<uint>("PredictedLabel").Count());
    }

    /// <summary>
    /// Labels of 1e-6 and 1e9 scale train as labels of scale 1 do (targets are standardized and the scale kept in the model): the
    /// scores are the unit-scale scores times the scale.
    /// </summary>
    [Theory]
    [InlineData(1e-6)]
    [InlineData(1e9)]
    public void ExtremeRegressionLabelScales_GiveTheUnitScaleScoresTimesTheScale(double scale)
    {
        float[] Scores(double s)
        {
            var train = LstmTestData.Rows(100, 3);
            train.ForEach(r => r.Value = (float)(r.Value * s));
            var model = models.Trainer(LstmTask.Regression, epochs: 3).Fit(models.Ml.Data.LoadFromEnumerable(train));
            return LstmTestData.Floats(model.Transform(LstmTestData.Load(models.Ml, 30, 4)), "Score");
        }
        var unit = Scores(1);
        var scaled = Scores(scale);
        double spread = unit.Max() - unit.Min();
        Assert.True(spread > 0.05, $"unit-scale scores spread {spread}");
        for (int i = 0; i < unit.Length; i++) Assert.Equal(unit[i], scaled[i] / scale, 1e-4 * spread);
    }

    /// <summary>A row without the feature column.</summary>
    public sealed class OtherRow
    {
        public float Other { get; set; }
    }

    /// <summary>Features of the wrong item type.</summary>
    public sealed class DoubleRow
    {
        public double[] Features { get; set; } = [1, 2];
        public float Value { get; set; }
        public bool Flag { get; set; }
        public string Part { get; set; } = "low";
    }

    /// <summary>Features with a key label of three classes (a value outside 0..2 reads as missing).</summary>
    public sealed class KeyedSeqRow
    {
        public float[] Features { get; set; } = [];

        [Microsoft.ML.Data.KeyType(3)]
        public uint Label { get; set; }
    }
}
