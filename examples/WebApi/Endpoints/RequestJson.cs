using System.Text.Json;
using System.Text.Json.Serialization;

namespace Microsoft.ML.Lstm.WebApi;

/// <summary>
/// Reads a JSON request body so that every fault becomes a 400 with RFC 7807 problem details naming the field: malformed
/// JSON or a value of the wrong type is reported at its JSON path (<c>observations[3]</c>), an empty body as <c>body</c>.
/// "NaN" and "Infinity" are read as numbers (as strings), so that the endpoint can say which value is not finite.
/// </summary>
public static class RequestJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The body as <typeparamref name="T"/>, or the 400 to answer with.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (!request.HasJsonContentType())
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the request body as application/json."));
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, request.HttpContext.RequestAborted);
            return value is null ? (null, Invalid("body", "The body is empty or null; send a JSON object.")) : (value, null);
        }
        catch (JsonException e)
        {
            string field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.StartsWith("$.") ? e.Path[2..] : e.Path;
            string where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return (null, Invalid(field, $"Malformed JSON or a value of the wrong type at '{field}'{where}."));
        }
    }

    /// <summary>A 400 validation problem with one message for <paramref name="field"/>.</summary>
    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] },
            detail: $"{field}: {message}", title: "The request is not valid.");
}
