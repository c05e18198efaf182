using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Microsoft.ML.Lstm.WebApi.Tests;

/// <summary>The service in memory (TestServer), serving the given model files, reloading 100 ms after a change.</summary>
public sealed class ApiFactory(string classifier, string forecaster) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Models:Classifier", classifier);
        builder.UseSetting("Models:Forecaster", forecaster);
        builder.UseSetting("Models:ReloadDelayMilliseconds", "100");
    }
}

/// <summary>Request bodies and answers shared by the tests.</summary>
public static class Requests
{
    private static readonly float[] Series = ModelTraining.AirPassengers();

    /// <summary>Names from the tiny classifier's training rows (every 15th of the file), so every letter is known.</summary>
    public static string[] Names(int count) => File.ReadLines(ModelTraining.DataFile("stdlib_names_gender.csv")).Skip(1)
        .Where((_, i) => i % 15 == 0).Select(l => l.Split(',')[1]).Where(n => n.Length <= 24).Take(count).ToArray();

    /// <summary>A forecast request: <paramref name="length"/> months of AirPassengers starting at <paramref name="start"/>.</summary>
    public static object History(int start, int length) => new { observations = Series.Skip(start).Take(length).ToArray() };

    public static Task<HttpResponseMessage> Classify(HttpClient client, string name) =>
        client.PostAsJsonAsync("/classify", new { name });

    public static Task<HttpResponseMessage> Forecast(HttpClient client, object body) => client.PostAsJsonAsync("/forecast", body);

    /// <summary>The "model" field of a successful answer.</summary>
    public static async Task<string> ModelId(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("model").GetString()!;
    }
}
