using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// A confidence level passed the ML.NET way, as the float 0.95f (which widens to 0.949999988…), names the same
/// interval as 0.95 in every lookup that takes a level, before and after save and load.
/// </summary>
public class ConfidenceLevelTests
{
    [Fact]
    public void FloatLevel_IsFoundByEveryLookup_BeforeAndAfterReload()
    {
        var ml = new MLContext(seed: 1);
        var options = ForecastByLstmTests.Options(100);
        options.ConfidenceLevel = 0.95f;
        var data = ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(100, 3));
        var model = ml.Forecasting.ForecastByLstm(options).Fit(data);
        AssertLookupsAgree(ml, model);

        using var dir = new TempDirectory();
        ml.Model.Save(model, data.Schema, dir.File("model.zip"));
        var loaded = (LstmForecastingTransformer)new MLContext().Model.Load(dir.File("model.zip"), out _);
        Assert.Equal(0.95f, loaded.Options.ConfidenceLevel);
        AssertLookupsAgree(ml, loaded);
    }

    [Fact]
    public void Settings_WithAFloatLevel_PredictTheExactOuterQuantiles()
    {
        var settings = new ForecasterSettings { ConfidenceLevels = [0.95f, 0.8f] };
        settings.Validate();
        Assert.Equal([0.025, 0.1, 0.5, 0.9, 0.975], settings.QuantileLevels());
        Assert.Equal([0.95, 0.8], new QuantileLayout(settings).ConfidenceLevels);
    }

    [Fact]
    public void Settings_WithTheSameLevelAsFloatAndDouble_AreRejectedAsADuplicate()
    {
        var settings = new ForecasterSettings { ConfidenceLevels = [0.95f, 0.95] };
        Assert.Contains("twice", Assert.Throws<ArgumentException>(settings.Validate).Message);
    }

    private static void AssertLookupsAgree(MLContext ml, LstmForecastingTransformer model)
    {
        Assert.Equal([0.95], model.Forecaster.Layout.ConfidenceLevels);
        var result = model.CreateEngine().Forecast();
        Assert.Equal(result.Lower(0.95), result.Lower(0.95f));
        Assert.Equal(result.Upper(0.95), result.Upper(0.95f));
        Assert.Throws<ArgumentException>(() => result.Lower(0.9));
        var viaEngine = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml).Predict();
        Assert.Equal(result.Lower(0.95f).Select(v => (float)v), viaEngine.Lower);
        Assert.Equal(result.Upper(0.95f).Select(v => (float)v), viaEngine.Upper);
    }
}
