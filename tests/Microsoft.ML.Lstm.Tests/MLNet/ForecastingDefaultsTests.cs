using System.Reflection;
using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// The forecaster's internal settings and the public <see cref="LstmForecastingOptions"/> share their defaults: the
/// public options' defaults, mapped to settings, equal a default-constructed settings object for every setting the
/// two have in common (the ones only the public side decides are listed).
/// </summary>
public class ForecastingDefaultsTests
{
    [Fact]
    public void PublicDefaults_MapToTheSettingsDefaults()
    {
        var fromPublic = new LstmForecastingOptions { TrainSize = 1000 }.ToSettings(seed: 0);
        var defaults = new LstmForecasterOptions();
        // Decided by the public side: one level instead of two, threads from the machine, warm-up from SeriesLength.
        string[] publicSide = [nameof(LstmForecasterOptions.ConfidenceLevels), nameof(LstmForecasterOptions.NumberOfThreads), nameof(LstmForecasterOptions.WarmupSteps)];
        int compared = 0;
        foreach (var p in typeof(LstmForecasterOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            if (publicSide.Contains(p.Name) || p.PropertyType.IsSubclassOf(typeof(Delegate))) continue;
            Assert.True(Equals(p.GetValue(defaults), p.GetValue(fromPublic)), $"{p.Name}: settings default {p.GetValue(defaults)}, public default maps to {p.GetValue(fromPublic)}.");
            compared++;
        }
        Assert.True(compared >= 20, $"only {compared} settings compared");
        Assert.Equal(defaults.Warmup, fromPublic.Warmup);
    }
}
