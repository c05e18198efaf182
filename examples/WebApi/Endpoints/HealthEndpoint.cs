namespace Microsoft.ML.Lstm.WebApi;

/// <summary>GET /health: one entry per model.</summary>
/// <param name="Status">"Healthy", or "Degraded" when a changed model file did not load (the previous model still serves).</param>
/// <param name="Models">Per model: file, id, when loaded, swaps, last reload error.</param>
public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, ModelHealth> Models);

/// <summary>One model's state.</summary>
/// <param name="File">The watched model file.</param>
/// <param name="Id">The first 12 hex digits of the serving model's SHA-256.</param>
/// <param name="LoadedAt">When the serving model was loaded.</param>
/// <param name="Swaps">Models swapped in since start-up.</param>
/// <param name="LastError">The last failed reload since the last good one, or null.</param>
public sealed record ModelHealth(string File, string Id, DateTimeOffset LoadedAt, int Swaps, string? LastError);

/// <summary>Maps GET /health.</summary>
public static class HealthEndpoint
{
    /// <summary>Maps GET /health (always 200 once started: a failed reload leaves the old model serving).</summary>
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", (ServedModels models) =>
        {
            var entries = new Dictionary<string, ModelHealth>
            {
                ["classifier"] = Entry(models.Classifier),
                ["forecaster"] = Entry(models.Forecaster),
            };
            return Results.Ok(new HealthResponse(entries.Values.Any(e => e.LastError is not null) ? "Degraded" : "Healthy", entries));
        }).WithName("Health").WithSummary("The models serving and the last failed reload, if any.").Produces<HealthResponse>();
    }

    private static ModelHealth Entry<T>(ModelFile<T> file) where T : class
    {
        var current = file.Current;
        return new ModelHealth(file.Path, current.Id, current.LoadedAt, file.Swaps, file.LastError);
    }
}
