using Orleans.TestingHost;

namespace Microsoft.ML.Lstm.Examples.ForecastService.Tests;

/// <summary>Series grains on 2 silos with memory grain storage: many series at once, retries, bad calls.</summary>
public class SeriesGrainTests(MemoryStorageCluster fixture) : IClassFixture<MemoryStorageCluster>
{
    private ISeriesGrain Grain(string key) => fixture.Cluster.Client.GetGrain<ISeriesGrain>(key);

    /// <summary>Asserts the grain's forecast is the local engine's, to the bit.</summary>
    internal static void AssertSame(SeriesForecast expected, SeriesForecastResult actual, string series)
    {
        Assert.True(expected.Forecast.SequenceEqual(actual.Forecast), $"{series}: forecast differs");
        Assert.True(expected.Lower.SequenceEqual(actual.Lower), $"{series}: lower bound differs");
        Assert.True(expected.Upper.SequenceEqual(actual.Upper), $"{series}: upper bound differs");
    }

    /// <summary>The series grains active on <paramref name="silo"/> whose key starts with <paramref name="prefix"/>.</summary>
    internal static async Task<string[]> SeriesOn(TestCluster cluster, SiloHandle silo, string prefix)
    {
        var statistics = await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(hostsIds: [silo.SiloAddress]);
        return statistics.Select(s => s.GrainId.Key.ToString()!).Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
    }

    [Fact]
    public async Task ThousandSeriesStreamedConcurrently_ForecastExactlyLikeOneLocalEngineEach()
    {
        const int Series = 1000, Steps = 12;
        await Task.WhenAll(Enumerable.Range(0, Series).Select(async i =>
        {
            var grain = Grain($"many-{i}");
            for (int n = 1; n <= Steps; n++) Assert.True(await grain.Observe(fixture.Value(i, n), n));
        }));

        var forecasts = await Task.WhenAll(Enumerable.Range(0, Series).Select(i => Grain($"many-{i}").Forecast(fixture.Model.Horizon)));
        for (int i = 0; i < Series; i++)
        {
            var local = fixture.Model.NewEngine($"many-{i}");
            for (int n = 1; n <= Steps; n++) local.Predict(new SeriesObservation { Value = fixture.Value(i, n) });
            Assert.Equal(Steps, forecasts[i].SequenceNumber);
            AssertSame(local.Predict(), forecasts[i], $"many-{i}");
        }
        // The series live on both silos.
        foreach (var silo in fixture.Cluster.GetActiveSilos())
            Assert.NotEmpty(await SeriesOn(fixture.Cluster, silo, "many-"));
    }

    [Fact]
    public async Task RepeatedSequenceNumber_IsAcknowledgedButNotAppliedTwice()
    {
        var grain = Grain("retried");
        var local = fixture.Model.NewEngine("retried");
        for (int n = 1; n <= 5; n++)
        {
            Assert.True(await grain.Observe(fixture.Value(7, n), n));
            local.Predict(new SeriesObservation { Value = fixture.Value(7, n) });
        }
        // A retry of the last call (same number, even with another value) and an old number: acknowledged, not applied.
        Assert.False(await grain.Observe(fixture.Value(7, 5), 5));
        Assert.False(await grain.Observe(999, 5));
        Assert.False(await grain.Observe(fixture.Value(7, 2), 2));
        Assert.Equal(5, await grain.LastSequenceNumber());
        AssertSame(local.Predict(), await grain.Forecast(fixture.Model.Horizon), "retried");

        // After a deactivation the grain restores its state from storage and still knows what it applied.
        await fixture.Cluster.DeactivateAsync(grain);
        Assert.False(await grain.Observe(fixture.Value(7, 5), 5));
        Assert.True(await grain.Observe(fixture.Value(7, 6), 6));
        local.Predict(new SeriesObservation { Value = fixture.Value(7, 6) });
        AssertSame(local.Predict(), await grain.Forecast(fixture.Model.Horizon), "retried");
    }

    [Fact]
    public async Task GapsBadValuesAndBadHorizons_GetClearErrors()
    {
        var grain = Grain("gapped");
        Assert.True(await grain.Observe(fixture.Value(3, 1), 1));
        var gap = await Assert.ThrowsAsync<ArgumentException>(() => grain.Observe(fixture.Value(3, 3), 3));
        Assert.Contains("expects observation 2; got 3", gap.Message);
        var nan = await Assert.ThrowsAsync<ArgumentException>(() => grain.Observe(float.NaN, 2));
        Assert.Contains("not finite", nan.Message);
        var horizon = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.Forecast(fixture.Model.Horizon + 1));
        Assert.Contains("horizon", horizon.Message);
        Assert.Equal(1, await grain.LastSequenceNumber());   // nothing of the refused calls was applied
        Assert.True(await grain.Observe(fixture.Value(3, 2), 2));
    }
}
