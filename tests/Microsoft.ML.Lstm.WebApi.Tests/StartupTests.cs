using System.Net.Http.Json;
using System.Text.Json;

namespace Microsoft.ML.Lstm.WebApi.Tests;

/// <summary>
/// A missing or corrupt model file stops start-up with a message naming the file; a good start serves /health and OpenAPI.
/// </summary>
[Collection(TinyModelsCollection.Name)]
public class StartupTests(TinyModels models)
{
    [Fact]
    public void AMissingModelFile_StopsStartUp_NamingTheFile()
    {
        var (c, _) = models.CopyOfA();
        string missing = Path.Combine(Path.GetDirectoryName(c)!, "no-such-forecaster.zip");
        using var factory = new ApiFactory(c, missing);
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains($"The forecaster model file '{missing}' does not exist", e.ToString());
    }

    [Fact]
    public void ACorruptModelFile_StopsStartUp_NamingTheFile()
    {
        var (c, f) = models.CopyOfA();
        File.WriteAllBytes(c, File.ReadAllBytes(models.ClassifierA)[..1000]);
        using var factory = new ApiFactory(c, f);
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains($"The classifier model file '{c}' could not be loaded", e.ToString());
    }

    [Fact]
    public void AModelOfTheWrongKind_StopsStartUp_NamingTheFile()
    {
        var (c, f) = models.CopyOfA();
        using var factory = new ApiFactory(f, f); // the forecaster named as the classifier
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains($"The classifier model file '{f}' could not be loaded", e.ToString());
    }

    [Fact]
    public async Task AGoodStart_ServesHealthAndAnOpenApiDocument()
    {
        var (c, f) = models.CopyOfA();
        using var factory = new ApiFactory(c, f);
        var client = factory.CreateClient();
        var health = await client.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal(c, health.GetProperty("models").GetProperty("classifier").GetProperty("file").GetString());
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openApi.GetProperty("paths");
        foreach (var path in new[] { "/classify", "/forecast", "/health" }) Assert.True(paths.TryGetProperty(path, out _), path);
    }
}
