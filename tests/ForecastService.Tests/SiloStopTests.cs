using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Examples.ForecastService.Tests;

/// <summary>Stopping a silo while series stream: nothing acknowledged is lost, and every series continues where it stood.</summary>
public class SiloStopTests(DurableStorageCluster fixture, ITestOutputHelper output) : IClassFixture<DurableStorageCluster>
{
    [Fact]
    public async Task StoppingASiloMidStream_LosesNoAcknowledgedObservation_AndEverySeriesContinuesExactly()
    {
        const int Series = 200, Steps = 30;
        var client = fixture.Cluster.Client;
        var secondary = fixture.Cluster.SecondarySilos[0];
        var acknowledged = new long[Series];
        var failures = new ConcurrentBag<string>();
        int total = 0;
        var stopAt = new TaskCompletionSource();

        async Task Stream(int i)
        {
            var grain = client.GetGrain<ISeriesGrain>($"stop-{i}");
            for (int n = 1; n <= Steps; n++)
            {
                // A client that got no answer retries the same number until acknowledged: the grain applies it once.
                for (int attempt = 1; ; attempt++)
                {
                    try
                    {
                        await grain.Observe(fixture.Value(i, n), n);
                        break;
                    }
                    catch (Exception e) when (e is not ArgumentException && attempt < 100)
                    {
                        failures.Add(e.GetType().Name);
                        await Task.Delay(50);
                    }
                }
                acknowledged[i] = n;
                if (Interlocked.Increment(ref total) == Series * Steps / 3) stopAt.TrySetResult();
            }
        }

        var streams = Enumerable.Range(0, Series).Select(i => Task.Run(() => Stream(i))).ToArray();
        await stopAt.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var onSecondary = await SeriesGrainTests.SeriesOn(fixture.Cluster, secondary, "stop-");
        var before = acknowledged.ToArray();
        await fixture.Cluster.StopSiloAsync(secondary);
        await Task.WhenAll(streams).WaitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"{onSecondary.Length} series were active on the stopped silo; acknowledged before the stop: " +
            $"{before.Sum()} of {Series * Steps}; failed calls retried: {failures.Count} ({string.Join(", ", failures.Distinct())}).");
        Assert.NotEmpty(onSecondary);
        Assert.Single(fixture.Cluster.GetActiveSilos());

        for (int i = 0; i < Series; i++)
        {
            var grain = client.GetGrain<ISeriesGrain>($"stop-{i}");
            Assert.Equal(Steps, await grain.LastSequenceNumber());
            var local = fixture.Model.NewEngine($"stop-{i}");
            for (int n = 1; n <= Steps; n++) local.Predict(new SeriesObservation { Value = fixture.Value(i, n) });
            SeriesGrainTests.AssertSame(local.Predict(), await grain.Forecast(fixture.Model.Horizon), $"stop-{i}");
        }
    }
}
