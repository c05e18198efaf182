namespace Microsoft.ML.Lstm.WebApi;

/// <summary>POST /classify body.</summary>
/// <param name="Name">A first name, 1 … Limits:MaxNameLength letters the model saw in training.</param>
public sealed record ClassifyRequest(string? Name);

/// <summary>POST /classify answer.</summary>
/// <param name="Name">The name as sent.</param>
/// <param name="Gender">The predicted class ("F" or "M").</param>
/// <param name="Probabilities">Probability per class.</param>
/// <param name="Model">The model that answered: the first 12 hex digits of its file's SHA-256.</param>
public sealed record ClassifyResponse(string Name, string Gender, IReadOnlyDictionary<string, float> Probabilities, string Model);

/// <summary>Names → gender from the pooled PredictionEngines of the current classifier.</summary>
public static class ClassifyEndpoint
{
    /// <summary>Maps POST /classify.</summary>
    public static void MapClassify(this IEndpointRouteBuilder app)
    {
        app.MapPost("/classify", Handle)
            .WithName("Classify")
            .WithSummary("Predicts the gender usually given a first name (an LSTM over its letters).")
            .Accepts<ClassifyRequest>("application/json")
            .Produces<ClassifyResponse>()
            .ProducesValidationProblem();
    }

    private static async Task<IResult> Handle(HttpRequest request, ServedModels models, IConfiguration configuration)
    {
        var (body, problem) = await RequestJson.ReadAsync<ClassifyRequest>(request);
        if (problem is not null) return problem;
        string? name = body!.Name;
        int max = configuration.GetValue("Limits:MaxNameLength", 24);
        if (string.IsNullOrWhiteSpace(name)) return RequestJson.Invalid("name", "The name is missing or empty; send 1 or more letters.");
        if (name.Length > max)
            return RequestJson.Invalid("name", $"The name has {name.Length} characters; the sequence may have at most {max}.");

        var served = models.Classifier.Current; // this request uses this model to the end, even if another is swapped in
        var prediction = served.Model.Predict(name);
        var unknown = prediction.Letters.Select((key, i) => (key, i)).Where(p => p.key == 0).Select(p => p.i).ToArray();
        if (unknown.Length > 0)
        {
            string letters = string.Join(", ", unknown.Select(i => i < name.Length ? $"'{name[i]}' at {i}" : $"position {i}"));
            return RequestJson.Invalid("name",
                $"Unknown tokens: {letters} never occurred in the training names, so the model cannot read them.");
        }
        var classes = served.Model.Classes;
        var probabilities = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => prediction.Score[p.i]);
        return Results.Ok(new ClassifyResponse(name, prediction.Gender, probabilities, served.Id));
    }
}
