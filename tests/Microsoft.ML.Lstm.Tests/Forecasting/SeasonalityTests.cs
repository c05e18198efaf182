using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Forecasting;
using Microsoft.ML.Lstm.Tests.MLNet;

namespace Microsoft.ML.Lstm.Tests.Forecasting;

/// <summary>Seasonality found when not given, the check that falls back to the last value, and the period reported.</summary>
public class SeasonalityTests
{
    private static double[] Series(int n, ulong seed, Func<int, double> season, double trend = 0.05, double noise = 0.5)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, n).Select(t => 50 + trend * t + season(t) + noise * rng.NextGaussian()).ToArray();
    }

    [Theory]
    [InlineData(4, 120)]
    [InlineData(7, 300)]
    [InlineData(12, 144)]
    [InlineData(52, 400)]
    public void SeasonalSeries_ReportTheirPeriod(int period, int n)
    {
        for (ulong seed = 1; seed <= 3; seed++)
            Assert.Equal(period, SeasonalityDetector.Detect(Series(n, seed, t => 5 * Math.Sin(2 * Math.PI * t / period))));
    }

    [Fact]
    public void AShapedSeasonOf12_IsNotReportedAsItsQuarterlySubpattern()
    {
        // Peaks every 3 months, with one month a year much higher: the season is 12, not 3.
        var y = Series(240, 2, t => 3 * Math.Cos(2 * Math.PI * t / 3) + (t % 12 == 11 ? 8 : 0));
        Assert.Equal(12, SeasonalityDetector.Detect(y));
    }

    [Fact]
    public void AShapedSeasonOf12OnAWanderingLevel_IsFoundInTheDifferences_AndIsTheLstmsPeriod()
    {
        // Monthly orders with a quarter-end shape inside a yearly one, on a business cycle that wanders (as the panel's
        // elec_equip): the slow swings lift every autocorrelation of the detrended series to about the same height (3, 6
        // and 12 were reported there); the differences show the year clearly.
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var rng = new Rng(seed);
            double level = 100;
            var y = Enumerable.Range(0, 240).Select(t => (level += 1.5 * rng.NextGaussian()) + 15 * Math.Sin(2 * Math.PI * t / 90)
                + 4 * Math.Cos(2 * Math.PI * t / 3) + (t % 12 == 11 ? 6 : t % 12 == 7 ? -5 : 0) + 0.5 * rng.NextGaussian()).ToArray();
            Assert.Equal(12, SeasonalityDetector.Detect(y));
            var settings = new ForecasterSettings
            {
                Model = { Horizon = 6, WindowSize = 36, SeriesLength = 72, EnsembleSize = 1, NumberOfEpochs = 1 },
            };
            Assert.Equal(12, LstmForecaster.Train(y, settings).Options.Model.SeasonalPeriod);
        }
    }

    [Fact]
    public void NoiseAndRandomWalks_HaveNoSeason()
    {
        var rng = new Rng(5);
        var noise = Enumerable.Range(0, 300).Select(_ => rng.NextGaussian()).ToArray();
        Assert.Equal(0, SeasonalityDetector.Detect(noise));
        double level = 100;
        var walk = Enumerable.Range(0, 500).Select(_ => level += rng.NextGaussian()).ToArray();
        Assert.Equal(0, SeasonalityDetector.Detect(walk));
        Assert.Equal(0, SeasonalityDetector.Detect(new double[11]));
    }

    [Fact]
    public void SeasonalNaive_BeatsNaive_OnlyWhereTheSeasonHelpsAtThisHorizon()
    {
        var monthly = Series(144, 3, t => 10 * Math.Sin(2 * Math.PI * t / 12));
        Assert.True(BaselineCheck.SeasonalBeatsNaive(monthly, 12, 18));
        // A slow annual cycle whose size changes from year to year, under a short horizon of a smooth series (like a
        // river's daily flow): the last value is the better base.
        var rng = new Rng(4);
        var size = Enumerable.Range(0, 4).Select(_ => 0.5 + rng.NextDouble()).ToArray();
        double wander = 0;
        var smooth = Enumerable.Range(0, 1100)
            .Select(t => 30 * size[t / 365] * Math.Sin(2 * Math.PI * t / 365) + (wander += 0.3 * rng.NextGaussian())).ToArray();
        Assert.False(BaselineCheck.SeasonalBeatsNaive(smooth, 365, 14));
        Assert.False(BaselineCheck.SeasonalBeatsNaive(monthly, 1, 18));
        Assert.False(BaselineCheck.SeasonalBeatsNaive(monthly[..20], 12, 18));   // too short to check
    }

    [Fact]
    public void ForecastByLstm_WithoutAPeriod_FindsIt_UsesIt_AndReportsIt()
    {
        var ml = new MLContext(seed: 1);
        var options = ForecastByLstmTests.Options(100);
        options.SeasonalPeriod = null;
        var lines = new List<string>();
        ml.Log += (_, e) => { lock (lines) lines.Add(e.Message); };
        var model = ml.Forecasting.ForecastByLstm(options).Fit(ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(100, 2)));
        Assert.Equal(12, model.Options.SeasonalPeriod);
        Assert.Null(options.SeasonalPeriod);   // the caller's object is not touched
        Assert.Equal(12, model.Forecaster.Transform.Lag);
        Assert.Contains(lines, l => l.Contains("seasonal period 12 found"));
        // What the statistical forecast is made of, fitted on this series, is in the log too.
        var ar = model.Forecaster.Smoothing.Autoregression!;
        Assert.Contains(lines, l => l.Contains("statistical forecast: seasonal adjustment at 12") && l.Contains($"ARIMA({ar.Order},1,0)"));

        using var dir = new TempDirectory();
        ml.Model.Save(model, null, dir.File("model.zip"));
        var loaded = (LstmForecastingTransformer)new MLContext().Model.Load(dir.File("model.zip"), out _);
        Assert.Equal(12, loaded.Options.SeasonalPeriod);
    }

    [Fact]
    public void AGivenPeriod_OverridesTheSearch()
    {
        var ml = new MLContext(seed: 1);
        var options = ForecastByLstmTests.Options(100);
        options.SeasonalPeriod = 0;
        var model = ml.Forecasting.ForecastByLstm(options).Fit(ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(100, 2)));
        Assert.Equal(0, model.Options.SeasonalPeriod);
        Assert.Equal(1, model.Forecaster.Transform.Lag);
    }

    [Fact]
    public void SeasonalDifferencingOn_WithNoPeriodGivenOrFound_SaysWhatToSet()
    {
        var rng = new Rng(9);
        var noise = Enumerable.Range(0, 120).Select(_ => 50 + rng.NextGaussian()).ToArray();
        var settings = new ForecasterSettings
        {
            Model = { Horizon = 6, WindowSize = 24, SeriesLength = 36, SeasonalDifferencing = AutoSwitch.On },
        };
        var e = Assert.Throws<ArgumentException>(() => LstmForecaster.Train(noise, settings));
        Assert.Equal(nameof(LstmForecastingOptions.SeasonalDifferencing), e.ParamName);
        Assert.Contains("set SeasonalPeriod", e.Message);
    }

    [Fact]
    public void HalfHourlyDataWithADailyAndAWeeklyCycle_ReportBothPeriods_AndSeriesWithOneReportOne()
    {
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var y = Series(4000, seed, t => 20 * Math.Sin(2 * Math.PI * t / 48) + 10 * Math.Sin(2 * Math.PI * t / 336), noise: 1.5);
            Assert.Equal([48, 336], SeasonalityDetector.DetectAll(y));
            var daily = Series(4000, seed, t => 20 * Math.Sin(2 * Math.PI * t / 48), noise: 1.5);
            Assert.Equal([48], SeasonalityDetector.DetectAll(daily));
        }
        var rng = new Rng(5);
        Assert.Empty(SeasonalityDetector.DetectAll(Enumerable.Range(0, 500).Select(_ => rng.NextGaussian()).ToArray()));
    }

    [Fact]
    public void LongerPeriods_AreFoundUsedAndReported_OrTakenAsGiven()
    {
        var rng = new Rng(3);
        var y = Enumerable.Range(0, 1200).Select(t => 100 + 10 * Math.Sin(2 * Math.PI * t / 24) + 6 * Math.Sin(2 * Math.PI * t / 168)
            + rng.NextGaussian()).ToArray();
        var settings = new ForecasterSettings
        {
            Model = { Horizon = 12, WindowSize = 48, SeriesLength = 96, EnsembleSize = 1, NumberOfEpochs = 1 },
        };
        var lines = new List<string>();
        settings.Log = l => { lock (lines) lines.Add(l); };
        var model = LstmForecaster.Train(y, settings);
        // The day, the highest autocorrelation peak, is the LSTM's period; the week that holds seven of them is found too.
        Assert.Equal(24, model.Options.Model.SeasonalPeriod);
        Assert.Equal([168], model.Options.Model.AdditionalSeasonalPeriods!);
        Assert.Equal([24, 168], model.Smoothing.Seasons.Select(s => s.Period));
        Assert.Contains(lines, l => l.Contains("additional seasonal periods 168 found"));
        Assert.Null(settings.Model.AdditionalSeasonalPeriods);   // the caller's settings are not touched

        settings.Model.AdditionalSeasonalPeriods = [];
        Assert.Equal([24], LstmForecaster.Train(y, settings).Smoothing.Seasons.Select(s => s.Period));
        settings.Model.AdditionalSeasonalPeriods = [24];   // the period found
        Assert.Contains("set SeasonalPeriod", Assert.Throws<ArgumentException>(() => LstmForecaster.Train(y, settings)).Message);
        settings.Model.SeasonalPeriod = 100;
        settings.Model.AdditionalSeasonalPeriods = [150, 120];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LstmForecaster.Train(y, settings));   // not shortest first
        Assert.Equal(nameof(LstmForecastingOptions.AdditionalSeasonalPeriods), e.ParamName);
    }
}
