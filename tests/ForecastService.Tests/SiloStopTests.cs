using System.Collections.Concurrent;
using System.Diagnostics;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Examples.ForecastService.Tests;

/// <summary>Stopping a silo (graceful shutdown) while series stream.</summary>
public class SiloStopTests(DurableStorageCluster fixture, ITestOutputHelper output)
    : SiloLossTests(fixture, output), IClassFixture<DurableStorageCluster>
{
    [Fact]
    public Task StoppingASiloMidStream_LosesNoAcknowledgedObservation_AndEverySeriesContinuesExactly() =>
        StreamWhileTakingDownASilo("stop", silo => Fixture.Cluster.StopSiloAsync(silo));
}

/// <summary>Killing a silo (no shutdown: its process is gone) while series stream.</summary>
public class SiloKillTests(DurableStorageCluster fixture, ITestOutputHelper output)
    : SiloLossTests(fixture, output), IClassFixture<DurableStorageCluster>
{
    [Fact]
    public Task KillingASiloMidStream_LosesNoAcknowledgedObservation_AndEverySeriesContinuesExactly() =>
        StreamWhileTakingDownASilo("kill", silo => Fixture.Cluster.KillSiloAsync(silo));
}

/// <summary>
/// Taking the second silo of a fresh 2-silo cluster down while series stream: nothing acknowledged is lost, and every series
/// continues where it stood. The store outlives the silos (<see cref="ProcessGrainStore"/>), as a database does.
/// </summary>
public abstract class SiloLossTests(DurableStorageCluster fixture, ITestOutputHelper output)
{
    private const int Series = 200, Steps = 30;

    /// <summary>The cluster of the test class.</summary>
    protected DurableStorageCluster Fixture => fixture;

    /// <summary>
    /// Streams 200 series × 30 observations, taking the second silo down with <paramref name="takeDown"/> after a third of them.
    /// </summary>
    protected async Task StreamWhileTakingDownASilo(string prefix, Func<SiloHandle, Task> takeDown)
    {
        var client = fixture.Cluster.Client;
        var victim = fixture.Cluster.SecondarySilos[0];
        var failures = new ConcurrentBag<string>();
        int total = 0;
        var takeDownAt = new TaskCompletionSource();
        var clock = Stopwatch.StartNew();

        async Task Stream(int i)
        {
            var grain = client.GetGrain<ISeriesGrain>($"{prefix}-{i}");
            for (int n = 1; n <= Steps; n++)
            {
                // A client that got no answer retries the same number until acknowledged: the grain applies it once.
                while (true)
                {
                    try
                    {
                        await grain.Observe(fixture.Value(i, n), n);
                        break;
                    }
                    catch (Exception e) when (e is not ArgumentException && clock.Elapsed < TimeSpan.FromSeconds(90))
                    {
                        failures.Add(e.GetType().Name);
                        await Task.Delay(50);
                    }
                }
                if (Interlocked.Increment(ref total) == Series * Steps / 3) takeDownAt.TrySetResult();
            }
        }

        var streams = Enumerable.Range(0, Series).Select(i => Task.Run(() => Stream(i))).ToArray();
        await takeDownAt.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var onVictim = await SeriesGrainTests.SeriesOn(fixture.Cluster, victim, prefix + "-");
        int before = Volatile.Read(ref total);
        await takeDown(victim);
        await Task.WhenAll(streams).WaitAsync(TimeSpan.FromSeconds(120));
        output.WriteLine($"{onVictim.Length} series were active on the silo taken down; acknowledged before: {before} of " +
            $"{Series * Steps}; failed calls retried: {failures.Count} ({string.Join(", ", failures.Distinct())}); " +
            $"{clock.Elapsed.TotalSeconds:F1} s.");
        Assert.NotEmpty(onVictim);
        Assert.DoesNotContain(victim, fixture.Cluster.GetActiveSilos());

        for (int i = 0; i < Series; i++)
        {
            var grain = client.GetGrain<ISeriesGrain>($"{prefix}-{i}");
            Assert.Equal(Steps, await grain.LastSequenceNumber());
            var local = fixture.Model.NewEngine($"{prefix}-{i}");
            for (int n = 1; n <= Steps; n++) local.Predict(new SeriesObservation { Value = fixture.Value(i, n) });
            SeriesGrainTests.AssertSame(local.Predict(), await grain.Forecast(fixture.Model.Horizon), $"{prefix}-{i}");
        }
    }
}
