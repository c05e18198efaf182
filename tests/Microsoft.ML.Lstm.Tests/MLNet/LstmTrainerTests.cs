using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>The LSTM trainers in ordinary ML.NET pipelines: fit, transform, evaluate, cross-validate.</summary>
public class LstmTrainerTests(ITestOutputHelper output)
{
    [Fact]
    public void RegressionLearnsTheMeanAndEvaluates()
    {
        var ml = new MLContext(seed: 1);
        var train = LstmTestData.Load(ml, 600, 1);
        var test = LstmTestData.Load(ml, 200, 2);
        var pipeline = ml.Transforms.CopyColumns("Label", nameof(SeqRow.Value))
            .Append(ml.Regression.Trainers.Lstm(LstmTestData.Options("Label")));
        var model = pipeline.Fit(train);
        var metrics = ml.Regression.Evaluate(model.Transform(test));
        output.WriteLine($"R² {metrics.RSquared:F3}, RMSE {metrics.RootMeanSquaredError:F4}");
        Assert.True(metrics.RSquared > 0.9, $"R² {metrics.RSquared}");
    }

    /// <summary>
    /// Ordinary label ranges: the same target shifted to about 300 or stretched a thousandfold is learned as well as the
    /// target itself (issue 17: unscaled labels reached R² ≈ −116,000 at an offset of 300).
    /// </summary>
    [Theory]
    [InlineData(300f, 1f)]
    [InlineData(0f, 1000f)]
    [InlineData(-5000f, 0.01f)]
    public void RegressionLearnsLabelsOfAnyOffsetAndScale(float offset, float scale)
    {
        var ml = new MLContext(seed: 1);
        var train = LstmTestData.Load(ml, 600, 1);
        var test = LstmTestData.Load(ml, 200, 2);
        string F(float v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var pipeline = ml.Transforms.Expression("Label", $"v => {F(offset)} + {F(scale)} * v", nameof(SeqRow.Value))
            .Append(ml.Regression.Trainers.Lstm(LstmTestData.Options("Label")));
        var model = pipeline.Fit(train);
        var metrics = ml.Regression.Evaluate(model.Transform(test));
        output.WriteLine($"offset {offset}, scale {scale}: R² {metrics.RSquared:F3}, RMSE {metrics.RootMeanSquaredError:G4}");
        Assert.True(metrics.RSquared > 0.9, $"R² {metrics.RSquared}");
    }

    /// <summary>Issue 17: an absurd learning rate is refused up front; a high one that makes Adam diverge fails at Fit.</summary>
    [Fact]
    public void AbsurdLearningRatesAreRefusedAndDivergenceFailsFitNamingEpochAndBatch()
    {
        var ml = new MLContext(seed: 1);
        var o = LstmTestData.Options("Label");
        o.LearningRate = 1e39;
        var e = Assert.ThrowsAny<ArgumentException>(() => ml.Regression.Trainers.Lstm(o));
        Assert.Contains("LearningRate", e.Message);
        var f = new LstmForecastingOptions
        {
            OutputColumnName = "F", InputColumnName = "V", WindowSize = 4, SeriesLength = 8,
            TrainSize = 40, Horizon = 2, LearningRate = 1e6
        };
        Assert.ThrowsAny<ArgumentException>(() => ml.Forecasting.ForecastByLstm(f));

        var data = ml.Transforms.CopyColumns("Label", nameof(SeqRow.Value)).Fit(LstmTestData.Load(ml, 200, 1))
            .Transform(LstmTestData.Load(ml, 200, 1));
        o.LearningRate = 10;
        o.GradientClipNorm = 0;
        var x = Assert.Throws<InvalidOperationException>(() => ml.Regression.Trainers.Lstm(o).Fit(data));
        output.WriteLine(x.Message);
        Assert.Contains("diverged", x.Message);
        Assert.Matches(@"epoch \d+, batch \d+", x.Message);
    }

    [Fact]
    public void BinaryClassificationProducesCalibratedColumnsAndEvaluates()
    {
        var ml = new MLContext(seed: 1);
        var train = LstmTestData.Load(ml, 600, 3);
        var test = LstmTestData.Load(ml, 200, 4);
        var model = ml.BinaryClassification.Trainers.Lstm(LstmTestData.Options(nameof(SeqRow.Flag))).Fit(train);
        var scored = model.Transform(test);
        var metrics = ml.BinaryClassification.Evaluate(scored, nameof(SeqRow.Flag));
        output.WriteLine($"accuracy {metrics.Accuracy:P1}, AUC {metrics.AreaUnderRocCurve:F3}");
        Assert.True(metrics.Accuracy > 0.85, $"accuracy {metrics.Accuracy}");

        var score = LstmTestData.Floats(scored, "Score");
        var prob = LstmTestData.Floats(scored, "Probability");
        var predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();
        for (int i = 0; i < score.Length; i++)
        {
            Assert.Equal(1 / (1 + Math.Exp(-score[i])), prob[i], 5);
            Assert.Equal(score[i] > 0, predicted[i]);
        }
    }

    [Fact]
    public void MulticlassKeepsLabelKeyValuesAndEvaluates()
    {
        var ml = new MLContext(seed: 1);
        var train = LstmTestData.Load(ml, 900, 5);
        var test = LstmTestData.Load(ml, 300, 6);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(SeqRow.Part))
            .Append(ml.MulticlassClassification.Trainers.Lstm(LstmTestData.Options("Label", epochs: 25)))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedPart", "PredictedLabel"));
        var model = pipeline.Fit(train);
        var scored = model.Transform(test);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        output.WriteLine($"micro-accuracy {metrics.MicroAccuracy:P1}, log-loss {metrics.LogLoss:F3}");
        Assert.True(metrics.MicroAccuracy > 0.9, $"micro-accuracy {metrics.MicroAccuracy}");

        var truth = ml.Data.CreateEnumerable<SeqRow>(test, false).Select(r => r.Part).ToArray();
        var predicted = scored.GetColumn<ReadOnlyMemory<char>>("PredictedPart").Select(m => m.ToString()).ToArray();
        double agree = truth.Zip(predicted).Count(p => p.First == p.Second) / (double)truth.Length;
        Assert.Equal(metrics.MicroAccuracy, agree, 6);

        VBuffer<ReadOnlyMemory<char>> slots = default;
        scored.Schema["Score"].GetSlotNames(ref slots);
        Assert.Equal(["high", "low", "mid"], slots.DenseValues().Select(s => s.ToString()).Order().ToArray());
        foreach (var row in scored.GetColumn<float[]>("Score").Take(20)) Assert.Equal(1.0, row.Sum(), 5);
    }

    [Fact]
    public void CrossValidateRunsForEachTask()
    {
        var ml = new MLContext(seed: 1);
        var data = LstmTestData.Load(ml, 300, 7);
        var o = LstmTestData.Options("Label", epochs: 8);

        var reg = ml.Regression.CrossValidate(ml.Transforms.CopyColumns("Label", nameof(SeqRow.Value)).Fit(data).Transform(data),
            ml.Regression.Trainers.Lstm(o), numberOfFolds: 3);
        Assert.Equal(3, reg.Count);
        Assert.All(reg, r => Assert.True(r.Metrics.RSquared > 0.5, $"fold R² {r.Metrics.RSquared}"));

        var bin = ml.BinaryClassification.CrossValidate(data,
            ml.BinaryClassification.Trainers.Lstm(LstmTestData.Options(nameof(SeqRow.Flag), 8)),
            numberOfFolds: 3, labelColumnName: nameof(SeqRow.Flag));
        Assert.Equal(3, bin.Count);
        Assert.All(bin, r => Assert.True(r.Metrics.Accuracy > 0.6, $"fold accuracy {r.Metrics.Accuracy}"));

        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", nameof(SeqRow.Part)).Fit(data).Transform(data);
        var multi = ml.MulticlassClassification.CrossValidate(keyed, ml.MulticlassClassification.Trainers.Lstm(o), numberOfFolds: 3);
        Assert.Equal(3, multi.Count);
        Assert.All(multi, r => Assert.True(r.Metrics.MicroAccuracy > 0.5, $"fold accuracy {r.Metrics.MicroAccuracy}"));
    }

    [Fact]
    public void GetOutputSchemaOfEstimatorDescribesScoreColumns()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Transforms.Conversion.MapValueToKey("Label", nameof(SeqRow.Part)).Fit(LstmTestData.Load(ml, 10, 1))
            .Transform(LstmTestData.Load(ml, 10, 1));
        var shape = ml.MulticlassClassification.Trainers.Lstm(LstmTestData.Options("Label"))
            .GetOutputSchema(SchemaShape.Create(data.Schema));
        Assert.Contains(shape, c => c.Name == "Score" && c.Kind == SchemaShape.Column.VectorKind.Vector);
        Assert.Contains(shape, c => c.Name == "PredictedLabel" && c.IsKey);
    }
}
