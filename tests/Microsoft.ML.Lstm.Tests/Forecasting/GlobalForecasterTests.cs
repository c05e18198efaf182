using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.Forecasting;

/// <summary>
/// A global model: one ensemble over several series of very different scales, each with its own
/// transform; forecasts come back in each series' units, streaming is exact per series, and bad input
/// names the offending series.
/// </summary>
public class GlobalForecasterTests
{
    private const int Length = 180, Train = 140;
    private static readonly double[] Scales = [1, 100, 0.01];

    /// <summary>Three seasonal series (different noise, trend and season), scaled ×1, ×100, ×0.01.</summary>
    private static double[][] Series() =>
        Scales.Select((s, j) => ForecastTestData.Seasonal(Length, 10 + (ulong)j).Select(v => s * v).ToArray()).ToArray();

    private static GlobalLstmForecaster TrainModel(double[][] series, int epochs = 15)
    {
        var o = ForecastTestData.FastOptions(horizon: 12);
        o.Model.NumberOfEpochs = epochs;
        return LstmForecaster.TrainGlobal(series.Select(y => y[..Train]).ToArray(), o);
    }

    [Fact]
    public void Forecasts_ScaleWithEachSeries_AndBeatSeasonalNaiveOnAverage()
    {
        var series = Series();
        var model = TrainModel(series);
        Assert.Equal(3, model.SeriesCount);
        double ratioSum = 0;
        for (int j = 0; j < series.Length; j++)
        {
            var y = series[j];
            Assert.Equal(model.Transforms[0].InputSize, model.Transforms[j].InputSize);
            var engine = model.CreateEngine(j, y.AsSpan(0, Train));
            var first = engine.Forecast();
            double level = y.AsSpan(Train - 12, 12).ToArray().Average();
            Assert.InRange(first.Point.Average() / level, 0.9, 1.1);
            double ours = 0, naive = 0;
            for (int origin = Train; origin + model.Horizon <= Length; origin++)
            {
                var f = engine.Forecast();
                for (int h = 0; h < model.Horizon; h++)
                {
                    ours += Math.Abs(y[origin + h] - f.Point[h]);
                    naive += Math.Abs(y[origin + h] - y[origin + h - ForecastTestData.Period * (h / ForecastTestData.Period + 1)]);
                }
                engine.Update(y[origin]);
            }
            ratioSum += ours / naive;
        }
        Assert.True(ratioSum / series.Length < 1, $"mean error ratio to seasonal naive {ratioSum / series.Length:F3} ≥ 1");
    }

    [Fact]
    public void ProportionalSeries_GetProportionalForecasts()
    {
        var y = ForecastTestData.Seasonal(Length, 4);
        var model = TrainModel([y, y.Select(v => 100 * v).ToArray()], epochs: 3);
        var a = model.CreateEngine(0, y.AsSpan(0, Train)).Forecast();
        var b = model.CreateEngine(1, y.Take(Train).Select(v => 100 * v).ToArray()).Forecast();
        for (int h = 0; h < a.Horizon; h++)
        {
            Assert.Equal(100 * a.Point[h], b.Point[h], 1e-6 * Math.Abs(b.Point[h]));
            Assert.Equal(100 * a.Upper(0.95)[h], b.Upper(0.95)[h], 1e-6 * Math.Abs(b.Upper(0.95)[h]));
        }
    }

    [Fact]
    public void StreamingEachSeries_EqualsRerun_AndDataRoundTripIsExact()
    {
        var series = Series();
        var model = TrainModel(series, epochs: 3);
        var reloaded = GlobalLstmForecaster.FromData(model.ToData());
        for (int j = 0; j < series.Length; j++)
        {
            var y = series[j];
            var engine = model.CreateEngine(j, y.AsSpan(0, Train));
            for (int n = Train; n < Train + 20; n++) engine.Update(y[n]);
            var rerun = model.CreateEngine(j, y.AsSpan(0, Train + 20));
            ForecastTestData.AssertClose(rerun.Forecast(), engine.Forecast(), 1e-5 * Scales[j]);
            ForecastTestData.AssertClose(rerun.Forecast(), reloaded.RestoreEngine(j, rerun.GetState()).Forecast(), 0);
        }
    }

    [Fact]
    public void MixedSeasonality_SharesOneInputLayout()
    {
        var seasonal = ForecastTestData.Seasonal(Length, 1);
        var walk = new double[Length];
        for (int t = 1; t < Length; t++) walk[t] = walk[t - 1] + Math.Sin(t * 1.3);
        var model = TrainModel([seasonal, ForecastTestData.Seasonal(Length, 2), walk], epochs: 1);
        Assert.All(model.Transforms, t => Assert.True(t.SeasonalDifferencing));
        Assert.All(model.Transforms, t => Assert.Equal(model.Transforms[0].InputSize, t.InputSize));
    }

    [Fact]
    public void BadInput_IsRejectedNamingTheSeries()
    {
        var o = ForecastTestData.FastOptions();
        var good = ForecastTestData.Seasonal(Length, 1);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => LstmForecaster.TrainGlobal([], o)).Message);
        Assert.Contains("Series 1 has 10 values",
            Assert.Throws<ArgumentException>(() => LstmForecaster.TrainGlobal([good, good[..10]], o)).Message);
        var nan = (double[])good.Clone();
        nan[37] = double.NaN;
        Assert.Contains("Series 2 has NaN at index 37",
            Assert.Throws<ArgumentException>(() => LstmForecaster.TrainGlobal([good, good, nan], o)).Message);
        var e = ForecastTestData.FastOptions(exogenous: 1);
        Assert.Contains("Series 0: Exogenous",
            Assert.Throws<ArgumentException>(() => LstmForecaster.TrainGlobal([good], e, [new double[3]])).Message);
        var model = TrainModel([good, good], epochs: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.CreateEngine(2, good));
    }
}
