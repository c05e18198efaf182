using System.Net;
using System.Text;
using System.Text.Json;

namespace Microsoft.ML.Lstm.WebApi.Tests;

/// <summary>Every bad request gets 400 with RFC 7807 problem details whose errors name the field.</summary>
[Collection(TinyModelsCollection.Name)]
public class BadRequestTests(TinyModels models)
{
    [Theory]
    // malformed JSON and values of the wrong type: named at their JSON path
    [InlineData("/classify", """{"name": """, "name")]
    [InlineData("/classify", """{"name": 42}""", "name")]
    [InlineData("/forecast", """{"observations": [112, 118, 132""", "observations[2]")]
    [InlineData("/forecast", """{"observations": [112, "many", 132]}""", "observations[1]")]
    [InlineData("/forecast", """{"observations": [112, 118], "horizon": "soon"}""", "horizon")]
    [InlineData("/forecast", "", "body")]
    [InlineData("/forecast", "null", "body")]
    // wrong sequence length
    [InlineData("/classify", """{"name": ""}""", "name")]
    [InlineData("/classify", """{"name": "Bartholomewmaximiliandorotheus"}""", "name")]
    [InlineData("/forecast", """{"observations": []}""", "observations")]
    [InlineData("/forecast", """{"observations": [112, 118, 132, 129]}""", "observations")]
    [InlineData("/forecast", """{"observations": [112, 118, 132], "horizon": 13}""", "horizon")]
    // NaN and infinities, as JSON strings (JSON has no NaN literal) and as a bare literal (malformed JSON)
    [InlineData("/forecast", """{"observations": [112, 118, "NaN", 129]}""", "observations[2]")]
    [InlineData("/forecast", """{"observations": [112, "-Infinity", 132]}""", "observations[1]")]
    [InlineData("/forecast", """{"observations": [112, 118, NaN, 129]}""", "observations[2]")]
    [InlineData("/forecast", """{"observations": [112, 1e39, 132]}""", "observations[1]")]
    // unknown tokens: letters the classifier never saw in training
    [InlineData("/classify", """{"name": "J0hn"}""", "name")]
    [InlineData("/classify", """{"name": "Anna Maria"}""", "name")]
    public async Task ABadRequest_Gets400WithProblemDetailsNamingTheField(string path, string json, string field)
    {
        var (c, f) = models.CopyOfA();
        using var factory = new ApiFactory(c, f);
        var client = factory.CreateClient();
        var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        string body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors should name '{field}': {body}");
        Assert.NotEmpty(messages.EnumerateArray().Single().GetString()!);
    }

    [Fact]
    public async Task AnUnknownToken_IsNamedWithItsPosition()
    {
        var (c, f) = models.CopyOfA();
        using var factory = new ApiFactory(c, f);
        var response = await Requests.Classify(factory.CreateClient(), "J0hn");
        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'0' at 1", body);
    }

    [Fact]
    public async Task ABodyThatIsNotJson_Gets415()
    {
        var (c, f) = models.CopyOfA();
        using var factory = new ApiFactory(c, f);
        var response = await factory.CreateClient().PostAsync("/classify", new StringContent("name=Anna", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
