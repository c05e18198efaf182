namespace Microsoft.ML.Lstm.Examples.ForecastService.Tests;

/// <summary>The global option: one network, one grain per series it was trained on, each grain with its own series' state.</summary>
public class GlobalModelTests(GlobalModelCluster fixture) : IClassFixture<GlobalModelCluster>
{
    [Fact]
    public async Task EachSeriesGrain_ContinuesItsOwnSeries_LikeItsLocalEngine()
    {
        Assert.True(fixture.Model.IsGlobal);
        const int Steps = 10;
        var keys = GlobalModelCluster.Keys;
        await Task.WhenAll(keys.Select(async (key, i) =>
        {
            var grain = fixture.Cluster.Client.GetGrain<ISeriesGrain>(key);
            for (int n = 1; n <= Steps; n++) Assert.True(await grain.Observe(fixture.Value(i, n), n));
        }));
        var firstForecasts = new List<float[]>();
        for (int i = 0; i < keys.Length; i++)
        {
            var local = fixture.Model.NewEngine(keys[i]);
            for (int n = 1; n <= Steps; n++) local.Predict(new SeriesObservation { Value = fixture.Value(i, n) });
            var forecast = await fixture.Cluster.Client.GetGrain<ISeriesGrain>(keys[i]).Forecast(fixture.Model.Horizon);
            SeriesGrainTests.AssertSame(local.Predict(), forecast, keys[i]);
            firstForecasts.Add(forecast.Forecast);
        }
        Assert.NotEqual(firstForecasts[0], firstForecasts[1]);   // per-series states and scales, not one shared state

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Cluster.Client.GetGrain<ISeriesGrain>("zz").Observe(1, 1));
        Assert.Contains("'zz'", unknown.Message);
    }
}
