namespace Microsoft.ML.Lstm.WebApi;

/// <summary>POST /forecast body.</summary>
/// <param name="Observations">The recent monthly values, oldest first (finite; more than the model's seasonal lag).</param>
/// <param name="Horizon">Months ahead, 1 … the trained horizon; null: the trained horizon.</param>
public sealed record ForecastRequest(float[]? Observations, int? Horizon);

/// <summary>POST /forecast answer.</summary>
/// <param name="Forecast">Point forecasts, one per month ahead.</param>
/// <param name="Lower">Lower bounds.</param>
/// <param name="Upper">Upper bounds.</param>
/// <param name="ConfidenceLevel">Coverage the bounds are calibrated for.</param>
/// <param name="Model">The model that answered: the first 12 hex digits of its file's SHA-256.</param>
public sealed record ForecastResponse(float[] Forecast, float[] Lower, float[] Upper, float ConfidenceLevel, string Model);

/// <summary>Stateless forecasts: the request carries the recent observations.</summary>
public static class ForecastEndpoint
{
    /// <summary>Maps POST /forecast.</summary>
    public static void MapForecast(this IEndpointRouteBuilder app)
    {
        app.MapPost("/forecast", Handle)
            .WithName("Forecast")
            .WithSummary("Forecasts the months after the given observations, with lower and upper bounds.")
            .Accepts<ForecastRequest>("application/json")
            .Produces<ForecastResponse>()
            .ProducesValidationProblem();
    }

    private static async Task<IResult> Handle(HttpRequest request, ServedModels models, IConfiguration configuration)
    {
        var (body, problem) = await RequestJson.ReadAsync<ForecastRequest>(request);
        if (problem is not null) return problem;
        var observations = body!.Observations;
        int max = configuration.GetValue("Limits:MaxObservations", 1000);
        if (observations is null || observations.Length == 0)
            return RequestJson.Invalid("observations", "The observations are missing; send the recent values, oldest first.");
        if (observations.Length > max)
            return RequestJson.Invalid("observations", $"{observations.Length} observations; the sequence may have at most {max}.");
        for (int i = 0; i < observations.Length; i++)
            if (!float.IsFinite(observations[i]))
                return RequestJson.Invalid($"observations[{i}]", $"{observations[i]} is not a finite number.");

        var served = models.Forecaster.Current;
        int horizon = body.Horizon ?? served.Model.Horizon;
        if (horizon < 1 || horizon > served.Model.Horizon)
            return RequestJson.Invalid("horizon", $"The horizon is {horizon}; the model forecasts 1 … {served.Model.Horizon} steps.");
        SeriesForecast f;
        try { f = served.Model.Forecast(observations, horizon); }
        catch (ArgumentException e) when (e.ParamName == "history")
        {
            return RequestJson.Invalid("observations", e.Message.Replace(" (Parameter 'history')", ""));
        }
        return Results.Ok(new ForecastResponse(f.Forecast, f.Lower, f.Upper, served.Model.ConfidenceLevel, served.Id));
    }
}
