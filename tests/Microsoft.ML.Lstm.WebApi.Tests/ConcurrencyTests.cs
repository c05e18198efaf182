namespace Microsoft.ML.Lstm.WebApi.Tests;

/// <summary>64 requests at once answer byte for byte as the same requests one at a time (pooled engines, shared forecaster).</summary>
[Collection(TinyModelsCollection.Name)]
public class ConcurrencyTests(TinyModels models)
{
    [Fact]
    public async Task SixtyFourConcurrentClassifications_AnswerExactlyAsSequentialOnes()
    {
        var (c, f) = models.CopyOfA();
        using var factory = new ApiFactory(c, f);
        var client = factory.CreateClient();
        var names = Requests.Names(64);
        Assert.Equal(64, names.Distinct().Count());

        var sequential = new List<string>();
        foreach (var name in names) sequential.Add(await Body(await Requests.Classify(client, name)));
        var concurrent = await Task.WhenAll(names.Select(async n => await Body(await Requests.Classify(client, n))));

        Assert.Equal(sequential, concurrent);
        Assert.True(sequential.Distinct().Count() > 32, "the names should get different scores");
    }

    [Fact]
    public async Task SixtyFourConcurrentForecasts_AnswerExactlyAsSequentialOnes()
    {
        var (c, f) = models.CopyOfA();
        using var factory = new ApiFactory(c, f);
        var client = factory.CreateClient();
        var bodies = Enumerable.Range(0, 64).Select(i => Requests.History(i, 36 + i % 40)).ToArray();

        var sequential = new List<string>();
        foreach (var body in bodies) sequential.Add(await Body(await Requests.Forecast(client, body)));
        var concurrent = await Task.WhenAll(bodies.Select(async b => await Body(await Requests.Forecast(client, b))));

        Assert.Equal(sequential, concurrent);
        Assert.Equal(64, sequential.Distinct().Count());
    }

    private static async Task<string> Body(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return body;
    }
}
