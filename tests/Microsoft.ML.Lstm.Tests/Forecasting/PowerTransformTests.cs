using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.Forecasting;

/// <summary>The Box–Cox power transform: Guerrero's λ, the automatic choice, the inverse and the domain checks.</summary>
public class PowerTransformTests
{
    /// <summary>
    /// A non-negative cyclical series whose spread grows like level^(1 − λ): yearly level between 0 and 200
    /// (a 10-year cycle), monthly noise of standard deviation 0.8·level^(1 − λ), clipped at 0 (zeros occur
    /// near the minima, so log is impossible).
    /// </summary>
    private static double[] Cyclical(int n, double lambda, ulong seed)
    {
        var rng = new Rng(seed);
        var y = new double[n];
        for (int t = 0; t < n; t++)
        {
            double level = 100 * (1 - Math.Cos(2 * Math.PI * (t / 12) / 10.0));
            y[t] = Math.Max(0, level + 0.8 * Math.Pow(level, 1 - lambda) * rng.NextGaussian());
        }
        return y;
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.3)]
    public void GuerreroLambda_RecoversThePowerThatStabilizesTheSpread(double lambda)
    {
        var y = Cyclical(1200, lambda, 7);
        Assert.InRange(SeriesDiagnostics.GuerreroLambda(y, 12, 0, 1), lambda - 0.12, lambda + 0.12);
    }

    [Fact]
    public void GuerreroLambda_IsOneForAConstantSpreadAndZeroForASpreadProportionalToTheLevel()
    {
        var rng = new Rng(5);
        var additive = Enumerable.Range(0, 480)
            .Select(t => 100 + 50 * Math.Sin(2 * Math.PI * (t / 12) / 13.0) + 5 * rng.NextGaussian()).ToArray();
        Assert.True(SeriesDiagnostics.GuerreroLambda(additive, 12, 0, 1) > 0.8);
        var multiplicative = Enumerable.Range(0, 480).Select(t => Math.Exp(0.01 * t) * (10 + rng.NextGaussian())).ToArray();
        Assert.True(SeriesDiagnostics.GuerreroLambda(multiplicative, 12, 0, 1) < 0.2);
    }

    [Fact]
    public void Auto_PicksAPower_ForANonNegativeSeriesWithZerosWhoseSpreadGrowsWithTheLevel()
    {
        var y = Cyclical(600, 0.5, 11);
        Assert.Contains(0.0, y);
        var t = SeriesTransform.Fit(y, [], new ForecasterSettings { Model = { SeasonalPeriod = 12, PowerTransform = AutoSwitch.Auto } });
        Assert.False(t.UseLog);
        Assert.True(t.UsePower);
        Assert.InRange(t.BoxCoxLambda, 0.35, 0.65);
        Assert.Equal("none",
            SeriesTransform.Fit(y, [], new ForecasterSettings { Model = { SeasonalPeriod = 12 } }).TransformName);   // default Off
    }

    [Fact]
    public void Auto_PicksNoPower_ForSeriesWithNegativeValuesOrANarrowLevelRange()
    {
        var y = Cyclical(600, 0.5, 11).Select(v => v - 20).ToArray();
        Assert.Equal(1,
            SeriesTransform.Fit(y, [], new ForecasterSettings { Model = { SeasonalPeriod = 12, PowerTransform = AutoSwitch.Auto } })
                .BoxCoxLambda);
        var narrow = ForecastTestData.Seasonal(240, 3);          // level 50–62: ratio below LogLevelRatio
        Assert.Equal(1, SeriesDiagnostics.SuggestedPowerLambda(narrow, 12));
    }

    [Fact]
    public void PowerInverse_UndoesTheTransform_AndMapsValuesBelowZerosImageToZero()
    {
        var t = new SeriesTransform(boxCoxLambda: 0.4, lag: 1, levelInput: true, drift: 0, scale: 1, levelMean: 0, levelScale: 1, [], []);
        foreach (double y in new[] { 0, 1e-6, 0.5, 1, 37.25, 250 }) Assert.Equal(y, t.FromModel(t.ToModel(y)), 9);
        Assert.Equal(-1 / 0.4, t.ToModel(0), 12);
        Assert.Equal(0, t.FromModel(t.ToModel(0) - 0.3));
        Assert.Equal("power 0.40", t.TransformName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeriesTransform(boxCoxLambda: -0.5, 1, true, 0, 1, 0, 1, [], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeriesTransform(boxCoxLambda: 1.5, 1, true, 0, 1, 0, 1, [], []));
    }

    [Fact]
    public void PowerModel_ForecastsNonNegativeBounds_AndRejectsNegativeObservations()
    {
        var y = Cyclical(300, 0.5, 3);
        var options = ForecastTestData.FastOptions();
        (options.Model.NumberOfEpochs, options.Model.EnsembleSize, options.Model.PowerTransform) = (2, 1, AutoSwitch.On);
        var model = LstmForecaster.Train(y, options);
        Assert.True(model.Transform.UsePower);
        var engine = model.CreateEngine(y);
        var f = engine.Forecast();
        Assert.All(f.Lower(0.95), v => Assert.True(v >= 0, $"lower bound {v} < 0"));
        var ex = Assert.ThrowsAny<ArgumentException>(() => engine.Update(-1));
        Assert.Contains("observations must be ≥ 0", ex.Message);
        Assert.Equal("observation", ex.ParamName);
        ex = Assert.ThrowsAny<ArgumentException>(() => model.CreateEngine(y.Select((v, i) => i == 40 ? -2 : v).ToArray()));
        Assert.Contains("value 40 is -2", ex.Message);
    }

    [Fact]
    public void PowerTransformOn_RejectsNegativeSeries_AndCannotBeCombinedWithLogOn()
    {
        var options = ForecastTestData.FastOptions();
        options.Model.PowerTransform = AutoSwitch.On;
        var y = ForecastTestData.Seasonal(120, 1).Select(v => v - 55).ToArray();
        Assert.Contains("PowerTransform is On but the series has values < 0",
            Assert.ThrowsAny<ArgumentException>(() => LstmForecaster.Train(y, options)).Message);
        Assert.Contains("PowerTransform is On but series 1 has values < 0",
            Assert.ThrowsAny<ArgumentException>(() => LstmForecaster.TrainGlobal([ForecastTestData.Seasonal(120, 1), y], options)).Message);
        options.Model.LogTransform = AutoSwitch.On;
        Assert.Equal(nameof(LstmForecastingOptions.PowerTransform), Assert.ThrowsAny<ArgumentException>(options.Validate).ParamName);
    }
}
