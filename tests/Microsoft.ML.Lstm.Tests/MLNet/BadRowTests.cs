using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// The same bad row fails with the same exception type, naming the column and the row, at Fit, at
/// Transform and in a PredictionEngine: one checker serves training and scoring.
/// </summary>
public class BadRowTests
{
    private const int Bad = 4;
    private readonly MLContext _ml = new(seed: 1);

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteFeature(float value) => SameErrorAtFitAndScoring(r => r.Features[3] = value, "value 3");

    [Fact]
    public void LengthNotAMultipleOfFeaturesPerStep() => SameErrorAtFitAndScoring(r => r.Features = [1f, 2f, 3f], "FeaturesPerStep");

    [Fact]
    public void EmptySequence() => SameErrorAtFitAndScoring(r => r.Features = [], "empty");

    [Fact]
    public void TokenIdOutOfRange()
    {
        var options = TokenOptions();
        var model = _ml.BinaryClassification.Trainers.Lstm(options).Fit(_ml.Data.LoadFromEnumerable(TokenRows()));
        var rows = TokenRows();
        rows[Bad].Tokens[1] = 9;
        var fit = Record(() => _ml.BinaryClassification.Trainers.Lstm(options).Fit(_ml.Data.LoadFromEnumerable(rows)));
        var transform = Record(() => model.Transform(_ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").ToArray());
        var engine = Record(() => _ml.Model.CreatePredictionEngine<TokenRow, FlagPrediction>(model).Predict(rows[Bad]));
        AssertSame(fit, transform, engine, nameof(TokenRow.Tokens), "key 9");
    }

    [Fact]
    public void MissingKeyLabelFailsAtFitAndIsNotReadAtScoring()
    {
        var rows = LstmTestData.Rows(20, 1);
        var toKey = _ml.Transforms.Conversion.MapValueToKey("Label", nameof(SeqRow.Part)).Fit(_ml.Data.LoadFromEnumerable(rows));
        var trainer = _ml.MulticlassClassification.Trainers.Lstm(LstmTestData.Options("Label", epochs: 1));
        var model = trainer.Fit(toKey.Transform(_ml.Data.LoadFromEnumerable(rows)));
        rows[Bad].Part = "unseen";   // maps to the missing key
        var bad = toKey.Transform(_ml.Data.LoadFromEnumerable(rows));
        var fit = Assert.Throws<ArgumentException>(() => trainer.Fit(bad));
        Assert.Contains($"Label column 'Label', row {Bad}: the key is missing", fit.Message);
        Assert.Equal(rows.Count, model.Transform(bad).GetColumn<uint>("PredictedLabel").Count());
    }

    [Fact]
    public void NonFiniteRegressionLabelFailsAtFitAndIsNotReadAtScoring()
    {
        var rows = LstmTestData.Rows(20, 1);
        var model = Train(rows);
        rows[Bad].Value = float.NaN;
        var fit = Assert.Throws<ArgumentException>(() => Train(rows));
        Assert.Contains($"'{nameof(SeqRow.Value)}', row {Bad}", fit.Message);
        Assert.Equal(rows.Count, model.Transform(_ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").Count());
    }

    private void SameErrorAtFitAndScoring(Action<SeqRow> spoil, string problem)
    {
        var model = Train(LstmTestData.Rows(20, 1));
        var rows = LstmTestData.Rows(20, 1);
        spoil(rows[Bad]);
        var fit = Record(() => Train(rows));
        var transform = Record(() => model.Transform(_ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").ToArray());
        var engine = Record(() => _ml.Model.CreatePredictionEngine<SeqRow, ValuePrediction>(model).Predict(rows[Bad]));
        AssertSame(fit, transform, engine, nameof(SeqRow.Features), problem);
    }

    private LstmTransformer Train(List<SeqRow> rows) =>
        _ml.Regression.Trainers.Lstm(LstmTestData.Options(nameof(SeqRow.Value), epochs: 1)).Fit(_ml.Data.LoadFromEnumerable(rows));

    private static void AssertSame(Exception? fit, Exception? transform, Exception? engine, string column, string problem)
    {
        foreach (var e in new[] { fit, transform, engine })
        {
            Assert.IsType<ArgumentException>(e);
            Assert.Contains($"column '{column}', row ", e!.Message);
            Assert.Contains(problem, e.Message);
        }
        Assert.Contains($"row {Bad}:", fit!.Message);
        Assert.Contains($"row {Bad}:", transform!.Message);
    }

    private static Exception? Record(Action action) => Xunit.Record.Exception(action);

    private static LstmOptions TokenOptions()
    {
        var o = LstmTestData.Options(nameof(TokenRow.Flag), epochs: 1);
        o.FeatureColumnName = nameof(TokenRow.Tokens);
        o.FeaturesPerStep = 1;
        o.EmbeddingSize = 4;
        return o;
    }

    private static List<TokenRow> TokenRows() =>
        Enumerable.Range(0, 20).Select(i => new TokenRow { Tokens = [1, (uint)(1 + i % 4), 2, 3], Flag = i % 2 == 0 }).ToList();

    /// <summary>Token ids: a variable-length vector of keys 1..4.</summary>
    public sealed class TokenRow
    {
        /// <summary>Keys.</summary>
        [KeyType(4), VectorType]
        public uint[] Tokens { get; set; } = [];

        /// <summary>Binary label.</summary>
        public bool Flag { get; set; }
    }
}
