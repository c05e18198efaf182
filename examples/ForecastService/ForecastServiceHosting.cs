using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.ML.Lstm.Examples.ForecastService;

/// <summary>Registers the forecasting service on a silo: the model (one per silo) and the name of the grain storage it uses.</summary>
public static class ForecastServiceHosting
{
    /// <summary>
    /// The grain storage provider the series grains write to. Register one under this name: memory storage to try it out, an
    /// ADO.NET, Azure or Redis provider in production (see the README).
    /// </summary>
    public const string StorageName = "forecasts";

    /// <summary>Adds the forecaster loaded from <paramref name="modelPath"/> on first use, once per silo.</summary>
    public static ISiloBuilder AddForecastModel(this ISiloBuilder silo, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        silo.Services.AddSingleton(_ => ForecastModel.Load(modelPath));
        return silo;
    }

    /// <summary>Adds an already loaded forecaster (e.g. one trained in the same process).</summary>
    public static ISiloBuilder AddForecastModel(this ISiloBuilder silo, ForecastModel model)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(model);
        silo.Services.AddSingleton(model);
        return silo;
    }
}
