using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>Bad columns and options fail early, naming the column and the expected type (bad rows: <see cref="BadRowTests"/>).</summary>
public class LstmSchemaErrorTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void MissingFeatureColumnIsNamedAtFit()
    {
        var o = LstmTestData.Options(nameof(SeqRow.Value));
        o.FeatureColumnName = "Nope";
        var e = Assert.ThrowsAny<ArgumentException>(() => _ml.Regression.Trainers.Lstm(o).Fit(LstmTestData.Load(_ml, 10, 1)));
        Assert.Contains("'Nope'", e.Message);
    }

    [Fact]
    public void MissingColumnIsNamedByEstimatorSchemaPropagation()
    {
        var data = LstmTestData.Load(_ml, 10, 1);
        var e = Assert.ThrowsAny<ArgumentException>(() =>
            _ml.Regression.Trainers.Lstm(LstmTestData.Options("Missing")).GetOutputSchema(SchemaShape.Create(data.Schema)));
        Assert.Contains("'Missing'", e.Message);
    }

    [Fact]
    public void NonKeyMulticlassLabelGetsAClearError()
    {
        var data = LstmTestData.Load(_ml, 10, 1);
        var e = Assert.ThrowsAny<ArgumentException>(() =>
            _ml.MulticlassClassification.Trainers.Lstm(LstmTestData.Options(nameof(SeqRow.Part))).Fit(data));
        Assert.Contains("'Part'", e.Message);
        Assert.Contains("key", e.Message);
        Assert.Contains("MapValueToKey", e.Message);
    }

    [Fact]
    public void WrongLabelTypesAreNamed()
    {
        var data = LstmTestData.Load(_ml, 10, 1);
        var reg = Assert.ThrowsAny<ArgumentException>(() =>
            _ml.Regression.Trainers.Lstm(LstmTestData.Options(nameof(SeqRow.Flag))).Fit(data));
        Assert.Contains("'Flag'", reg.Message);
        Assert.Contains("Single", reg.Message);
        var bin = Assert.ThrowsAny<ArgumentException>(() =>
            _ml.BinaryClassification.Trainers.Lstm(LstmTestData.Options(nameof(SeqRow.Value))).Fit(data));
        Assert.Contains("'Value'", bin.Message);
        Assert.Contains("Boolean", bin.Message);
    }

    [Fact]
    public void ScalarFeatureColumnIsRejectedWithTheExpectedType()
    {
        var data = LstmTestData.Load(_ml, 10, 1);
        var o = LstmTestData.Options(nameof(SeqRow.Value));
        o.FeatureColumnName = nameof(SeqRow.Value);
        var e = Assert.ThrowsAny<ArgumentException>(() => _ml.Regression.Trainers.Lstm(o).Fit(data));
        Assert.Contains("vector of Single", e.Message);
    }

    [Fact]
    public void TransformOnDataWithoutTheFeatureColumnFails()
    {
        var model = _ml.Regression.Trainers.Lstm(LstmTestData.Options(nameof(SeqRow.Value), epochs: 1)).Fit(LstmTestData.Load(_ml, 20, 1));
        var other = _ml.Data.LoadFromEnumerable(new[] { new { Other = 1f } });
        var e = Assert.ThrowsAny<ArgumentException>(() => model.Transform(other));
        Assert.Contains("'Features'", e.Message);
    }

    [Fact]
    public void InvalidOptionsAreRejectedWhenTheTrainerIsCreated()
    {
        var o = LstmTestData.Options(nameof(SeqRow.Value));
        o.HiddenSize = 0;
        Assert.Contains("HiddenSize", Assert.ThrowsAny<ArgumentException>(() => _ml.Regression.Trainers.Lstm(o)).Message);
        o = LstmTestData.Options(nameof(SeqRow.Value));
        o.ValidationFraction = 1.5;
        Assert.Contains("ValidationFraction", Assert.ThrowsAny<ArgumentException>(() => _ml.Regression.Trainers.Lstm(o)).Message);
    }

    /// <summary>Settings that contradict each other are named by Validate, before any data is read.</summary>
    [Fact]
    public void ContradictorySettingsAreNamedByValidate()
    {
        var o = LstmTestData.Options(nameof(SeqRow.Value));
        (o.EarlyStoppingPatience, o.ValidationFraction) = (3, 0);
        Assert.Equal(nameof(LstmOptions.EarlyStoppingPatience), Assert.Throws<ArgumentException>(o.Validate).ParamName);
        o = LstmTestData.Options(nameof(SeqRow.Value));
        (o.Optimizer, o.Momentum) = (LstmOptimizer.Adam, 0.9);
        Assert.Equal(nameof(LstmOptions.Momentum), Assert.Throws<ArgumentException>(o.Validate).ParamName);
        o = LstmTestData.Options(nameof(SeqRow.Value));
        (o.LearningRateSchedule, o.LearningRateDecayFactor) = (LstmLearningRateSchedule.StepDecay, 1.0);
        Assert.Equal(nameof(LstmOptions.LearningRateDecayFactor), Assert.ThrowsAny<ArgumentException>(o.Validate).ParamName);

        var f = new LstmForecastingOptions { TrainSize = 100, EarlyStoppingPatience = 2, ValidationFraction = 0 };
        Assert.Equal(nameof(LstmForecastingOptions.EarlyStoppingPatience), Assert.Throws<ArgumentException>(f.Validate).ParamName);
        f = new LstmForecastingOptions { TrainSize = 100, LogTransform = AutoSwitch.On, PowerTransform = AutoSwitch.On };
        Assert.Equal(nameof(LstmForecastingOptions.PowerTransform), Assert.Throws<ArgumentException>(f.Validate).ParamName);
        f = new LstmForecastingOptions { TrainSize = 100, SeasonalDifferencing = AutoSwitch.On, SeasonalPeriod = 1 };
        Assert.Equal(nameof(LstmForecastingOptions.SeasonalDifferencing), Assert.Throws<ArgumentException>(f.Validate).ParamName);
    }

    [Fact]
    public void ProgressIsLoggedThroughMLContextLog()
    {
        var ml = new MLContext(seed: 1);
        var lines = new List<string>();
        ml.Log += (_, e) => { if (e.Source.Contains("LstmTrainer")) lock (lines) lines.Add(e.Message); };
        ml.Regression.Trainers.Lstm(LstmTestData.Options(nameof(SeqRow.Value), epochs: 3)).Fit(LstmTestData.Load(ml, 50, 1));
        Assert.Equal(3, lines.Count(l => l.Contains("train loss") && l.Contains("seq/s")));
    }
}
