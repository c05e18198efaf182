using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.Forecasting;

/// <summary>Bad series, covariates, options and engine calls fail with an ArgumentException that says what is wrong.</summary>
public class ForecastInputErrorTests
{
    internal static ArgumentException Fails(Action action, params string[] phrases)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(action);
        foreach (var p in phrases) Assert.Contains(p, ex.Message, StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public void SeriesShorterThanWindowPlusHorizon_IsRejected()
    {
        var options = ForecastTestData.FastOptions();
        var y = ForecastTestData.Seasonal(options.WindowSize + options.Horizon - 1, 1);
        var ex = Fails(() => LstmForecaster.Train(y, options), "29 values", "windowSize + horizon = 24 + 6 = 30");
        Assert.Equal("series", ex.ParamName);
    }

    [Theory]
    [InlineData(AutoSwitch.Auto)]
    [InlineData(AutoSwitch.On)]
    public void SeriesOfExactlyWindowPlusHorizon_Trains_WithOneConfidenceLevel(AutoSwitch seasonal)
    {
        var options = ForecastTestData.FastOptions();
        (options.ConfidenceLevels, options.Model.SeasonalDifferencing) = ([0.9], seasonal);
        var y = ForecastTestData.Seasonal(options.WindowSize + options.Horizon, 1);
        var model = LstmForecaster.Train(y, options);
        var f = model.CreateEngine(y).Forecast();
        Assert.Equal([0.05, 0.5, 0.95], model.QuantileLevels);
        Assert.All(f.Point, v => Assert.True(double.IsFinite(v)));
        Assert.True(f.Lower(0.9)[0] <= f.Point[0] && f.Point[0] <= f.Upper(0.9)[0]);
    }

    [Theory]
    [InlineData(double.NaN, "NaN at index 17")]
    [InlineData(double.PositiveInfinity, "at index 17")]
    public void NonFiniteValueInSeries_IsRejected(double bad, string phrase)
    {
        var y = ForecastTestData.Seasonal(100, 1);
        y[17] = bad;
        Fails(() => LstmForecaster.Train(y, ForecastTestData.FastOptions()), phrase);
    }

    [Fact]
    public void EmptySeries_IsRejected() => Fails(() => LstmForecaster.Train([], ForecastTestData.FastOptions()), "empty");

    [Fact]
    public void CovariatesOfWrongShape_AreRejected()
    {
        var y = ForecastTestData.Seasonal(100, 1);
        Fails(() => LstmForecaster.Train(y, ForecastTestData.FastOptions(exogenous: 2), new double[199]),
            "100 steps × 2 features = 200", "got 199");
        Fails(() => LstmForecaster.Train(y, ForecastTestData.FastOptions(), new double[100]), "ExogenousCount = 0");
        var x = new double[100];
        x[40] = double.NaN;
        Fails(() => LstmForecaster.Train(y, ForecastTestData.FastOptions(exogenous: 1), x), "feature 0 at step 40 is not finite");
    }

    [Fact]
    public void InvalidOptions_NameTheSetting()
    {
        var y = ForecastTestData.Seasonal(100, 1);
        var o = ForecastTestData.FastOptions();
        o.Model.Horizon = 0;
        Assert.Equal("Horizon", Fails(() => LstmForecaster.Train(y, o), "Horizon must be positive").ParamName);
        o = ForecastTestData.FastOptions();
        o.ConfidenceLevels = [0.8, 1.0];
        Assert.Equal("ConfidenceLevels", Fails(() => LstmForecaster.Train(y, o), "strictly between 0 and 1").ParamName);
        o = ForecastTestData.FastOptions();
        (o.Model.SeasonalPeriod, o.Model.SeasonalDifferencing) = (0, AutoSwitch.On);
        Fails(() => LstmForecaster.Train(y, o), "SeasonalDifferencing is On but SeasonalPeriod is below 2");
        o = ForecastTestData.FastOptions();
        o.Model.LogTransform = AutoSwitch.On;
        y[3] = -1;
        Fails(() => LstmForecaster.Train(y, o), "LogTransform is On but the series has values ≤ 0");
    }

    [Fact]
    public void EngineCalls_AreChecked()
    {
        var y = ForecastTestData.Seasonal(100, 1);
        var o = ForecastTestData.FastOptions();
        (o.Model.NumberOfEpochs, o.Model.EnsembleSize, o.Model.LogTransform, o.Model.SeasonalDifferencing) =
            (1, 1, AutoSwitch.On, AutoSwitch.On);
        var model = LstmForecaster.Train(y, o);
        Fails(() => model.CreateEngine(y.AsSpan(0, 12)), "12 values", "more than 12");
        var engine = model.CreateEngine(y);
        Fails(() => engine.Update(double.NaN), "NaN");
        Fails(() => engine.Update(-3), "log(y)", "must be positive");
        Fails(() => engine.Update(50, [1.0]), "ExogenousCount = 0");
        Assert.Equal("horizon", Fails(() => engine.Forecast(7), "between 1 and the trained horizon 6").ParamName);
        Fails(() => engine.Forecast().Lower(0.5), "No interval at confidence 0.5");
        Fails(() => model.RestoreEngine(engine.GetState() with { Hidden = [] }), "ensemble members");
        Fails(() => LstmForecaster.FromData(model.ToData() with { CalibrationOffsets = [1.0] }), "CalibrationOffsets");
        Fails(() => LstmForecaster.FromData(model.ToData() with { NetworkParameters = [new float[3]] }),
            "NetworkParameters[0] has 3 values");
    }
}
