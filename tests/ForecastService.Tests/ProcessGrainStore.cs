using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Microsoft.ML.Lstm.Examples.ForecastService.Tests;

/// <summary>
/// Grain storage shared by every silo of the test process: it stands in for an external store (a database, Azure, Redis) that
/// outlives any silo. Orleans' own memory storage keeps its data in grains on the silos, so stopping a silo loses the part that
/// lived there; an external store is what a real cluster uses. Optimistic concurrency with ETags, like the real providers; the
/// state is kept serialized, so no grain shares objects with the store.
/// </summary>
public sealed class ProcessGrainStore(string serviceId, IGrainStorageSerializer serializer) : IGrainStorage
{
    private static readonly ConcurrentDictionary<string, (BinaryData Data, string ETag)> Records = new();

    /// <summary>Registers the store under <paramref name="name"/> on a silo.</summary>
    public static void Register(ISiloBuilder silo, string name) =>
        silo.Services.AddGrainStorage(name, (sp, _) => new ProcessGrainStore(
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId, sp.GetRequiredService<IGrainStorageSerializer>()));

    /// <inheritdoc/>
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Records.TryGetValue(Key(stateName, grainId), out var record))
        {
            grainState.State = serializer.Deserialize<T>(record.Data);
            grainState.ETag = record.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        string key = Key(stateName, grainId), etag = Guid.NewGuid().ToString("N");
        var data = serializer.Serialize(grainState.State);
        lock (Records)
        {
            Records.TryGetValue(key, out var current);
            if (current.ETag != grainState.ETag)
                throw new InconsistentStateException($"ETag mismatch for {key}", current.ETag, grainState.ETag);
            Records[key] = (data, etag);
        }
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (Records) Records.TryRemove(Key(stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }

    private string Key(string stateName, GrainId grainId) => $"{serviceId}/{stateName}/{grainId}";
}
