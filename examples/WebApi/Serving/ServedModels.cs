namespace Microsoft.ML.Lstm.WebApi;

/// <summary>
/// The two watched model files named in configuration (<c>Models:Classifier</c>, <c>Models:Forecaster</c>: appsettings.json,
/// overridden by environment variables such as <c>Models__Classifier</c> or by <c>--Models:Classifier=path</c>); relative
/// paths are read from the content root. Built once at start-up by <see cref="ModelStartup"/>, so a missing or corrupt
/// file stops the service before it listens.
/// </summary>
public sealed class ServedModels : IDisposable
{
    /// <summary>Loads both models and starts watching their files.</summary>
    /// <exception cref="InvalidOperationException">A file is not configured, missing or does not load; the message names it.</exception>
    public ServedModels(IConfiguration configuration, IHostEnvironment environment, ILogger<ServedModels> logger)
    {
        var delay = TimeSpan.FromMilliseconds(configuration.GetValue("Models:ReloadDelayMilliseconds", 250));
        string Resolve(string key)
        {
            string? path = configuration[$"Models:{key}"];
            if (string.IsNullOrWhiteSpace(path))
                throw new InvalidOperationException($"Configuration 'Models:{key}' names no model file.");
            return Path.GetFullPath(Path.Combine(environment.ContentRootPath, path));
        }
        Classifier = new ModelFile<ClassifierModel>("classifier", Resolve("Classifier"), ClassifierModel.Load, delay, logger);
        try { Forecaster = new ModelFile<ForecasterModel>("forecaster", Resolve("Forecaster"), ForecasterModel.Load, delay, logger); }
        catch
        {
            Classifier.Dispose();
            throw;
        }
    }

    /// <summary>Names → gender.</summary>
    public ModelFile<ClassifierModel> Classifier { get; }

    /// <summary>AirPassengers forecaster.</summary>
    public ModelFile<ForecasterModel> Forecaster { get; }

    /// <summary>Stops watching both files.</summary>
    public void Dispose()
    {
        Classifier.Dispose();
        Forecaster.Dispose();
    }
}

/// <summary>Loads the models when the host starts (before Kestrel listens): a bad model file fails start-up.</summary>
public sealed class ModelStartup(IServiceProvider services) : IHostedService
{
    /// <summary>Resolves <see cref="ServedModels"/>, which loads both files.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<ServedModels>();
        return Task.CompletedTask;
    }

    /// <summary>Nothing to stop; the container disposes the watchers.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
