using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Microsoft.ML.Lstm.Examples.ForecastService.Tests;

/// <summary>
/// A tiny forecaster trained once (seconds), saved to a model file, and an in-process cluster of 2 silos that each load that
/// file once; the tests compare the grains with local engines of the trained model.
/// </summary>
public abstract class ForecastCluster : IAsyncLifetime
{
    private const string ModelPathKey = "ForecastModelPath";
    private readonly string _modelPath = Path.Combine(Path.GetTempPath(), $"forecast-cluster-{Guid.NewGuid():N}.zip");

    protected ForecastCluster()
    {
        Air = DemoSeries.AirPassengers();
        var mlContext = new MLContext(seed: 1);
        Model = new ForecastModel(Train(mlContext), mlContext);
        mlContext.Model.Save(Model.Transformer, null, _modelPath);
    }

    /// <summary>The airline passengers the demo series are made of.</summary>
    public float[] Air { get; }

    /// <summary>The trained model, for local engines.</summary>
    public ForecastModel Model { get; }

    /// <summary>The cluster (2 silos).</summary>
    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>Trains the model the silos load.</summary>
    protected virtual LstmForecastingTransformer Train(MLContext mlContext) => DemoSeries.TrainModel(mlContext, Air, epochs: 3);

    /// <summary>The silo configurator that registers the grain storage of this fixture.</summary>
    protected abstract Type SiloConfigurator { get; }

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 2);
        builder.Properties[ModelPathKey] = _modelPath;
        builder.Options.SiloBuilderConfiguratorTypes.Add(SiloConfigurator.AssemblyQualifiedName);
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        // Until both silos see each other's manifest, grains are placed on the first alone (a loaded CI machine showed it).
        await Cluster.WaitForClusterManifestToStabilizeAsync();
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        File.Delete(_modelPath);
    }

    /// <summary>Observation <paramref name="n"/> (1, 2, ...) of demo series <paramref name="index"/>.</summary>
    public float Value(int index, long n) => DemoSeries.Value(Air, index, (int)n - 1);

    /// <summary>The silo part common to both storage choices: the model from the file, shorter timeouts for the stop test.</summary>
    internal static void ConfigureSilo(ISiloBuilder silo)
    {
        silo.AddForecastModel(silo.Configuration[ModelPathKey] ?? throw new InvalidOperationException($"{ModelPathKey} is not set."));
        silo.Services.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.Services.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
    }
}

/// <summary>The cluster with Orleans' memory grain storage.</summary>
public sealed class MemoryStorageCluster : ForecastCluster
{
    protected override Type SiloConfigurator => typeof(Silo);

    /// <summary>Memory grain storage and the model.</summary>
    public sealed class Silo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddMemoryGrainStorage(ForecastServiceHosting.StorageName);
            ConfigureSilo(siloBuilder);
        }
    }
}

/// <summary>The cluster with a store that outlives the silos (<see cref="ProcessGrainStore"/>), for stopping one.</summary>
public sealed class DurableStorageCluster : ForecastCluster
{
    protected override Type SiloConfigurator => typeof(Silo);

    /// <summary>The process-wide store and the model.</summary>
    public sealed class Silo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            ProcessGrainStore.Register(siloBuilder, ForecastServiceHosting.StorageName);
            ConfigureSilo(siloBuilder);
        }
    }
}

/// <summary>The cluster with memory storage and a global model over the series "a", "b" and "c".</summary>
public sealed class GlobalModelCluster : ForecastCluster
{
    /// <summary>The series the global model knows, in training order.</summary>
    public static readonly string[] Keys = ["a", "b", "c"];

    protected override Type SiloConfigurator => typeof(MemoryStorageCluster.Silo);

    protected override LstmForecastingTransformer Train(MLContext mlContext) => DemoSeries.TrainGlobalModel(mlContext, Air, Keys);
}
