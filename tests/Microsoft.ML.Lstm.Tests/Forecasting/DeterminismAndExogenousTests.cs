using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.Forecasting;

/// <summary>Seeded training is reproducible; a known covariate moves the forecast the way it moved the data.</summary>
public class DeterminismAndExogenousTests
{
    [Fact]
    public void SameSeed_GivesIdenticalModels_ForAnyThreadCount()
    {
        var y = ForecastTestData.Seasonal(120, 7);
        var o = ForecastTestData.FastOptions();
        var a = LstmForecaster.Train(y, o).ToData();
        o.NumberOfThreads = 2;
        var b = LstmForecaster.Train(y, o).ToData();
        Assert.Equal(a.NetworkParameters.Length, b.NetworkParameters.Length);
        for (int k = 0; k < a.NetworkParameters.Length; k++) Assert.Equal(a.NetworkParameters[k], b.NetworkParameters[k]);
        Assert.Equal(a.CalibrationOffsets, b.CalibrationOffsets);
        o.Seed++;
        var c = LstmForecaster.Train(y, o).ToData();
        Assert.NotEqual(a.NetworkParameters[0], c.NetworkParameters[0]);
    }

    [Theory]
    [InlineData(6.0)]
    [InlineData(-6.0)]
    public void StepInCovariate_MovesTheForecastInTheDirectionOfItsEffect(double effect)
    {
        const int n = 240, origin = 200, H = 6;
        var x = ForecastTestData.StepCovariate(n, 11);
        var y = ForecastTestData.Seasonal(n, 13, x, effect);
        var o = ForecastTestData.FastOptions(horizon: H, exogenous: 1);
        o.Model.NumberOfEpochs = 40;
        var model = LstmForecaster.Train(y.AsSpan(0, origin), o, x.AsSpan(0, origin));
        var engine = model.CreateEngine(y.AsSpan(0, origin), x.AsSpan(0, origin));
        double now = x[origin - 1];
        var stay = engine.Forecast(futureExogenous: Enumerable.Repeat(now, H).ToArray());
        var flip = engine.Forecast(futureExogenous: Enumerable.Repeat(1 - now, H).ToArray());
        double expected = effect * (1 - 2 * now);   // the change a switch of the covariate causes
        for (int h = 0; h < H; h++)
        {
            double moved = flip.Point[h] - stay.Point[h];
            Assert.True(Math.Sign(moved) == Math.Sign(expected) && Math.Abs(moved) > Math.Abs(expected) / 3,
                $"h={h + 1}: switching the covariate moved the forecast by {moved:F2}; the data's effect is {expected:F2}.");
        }
    }
}
