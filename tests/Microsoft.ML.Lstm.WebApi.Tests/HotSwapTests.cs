using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Microsoft.ML.Lstm.WebApi.Tests;

/// <summary>
/// Replacing a model file under traffic: no request fails, answers switch to the new model (and equal what that model
/// gives on its own); a half-written or corrupt file leaves the old model serving, and /health shows the error.
/// </summary>
[Collection(TinyModelsCollection.Name)]
public class HotSwapTests(TinyModels models)
{
    [Fact]
    public async Task ReplacingBothModelsDuringTraffic_FailsNoRequest_AndAnswersSwitchToTheNewModels()
    {
        var (c, f) = models.CopyOfA();
        using var factory = new ApiFactory(c, f);
        var client = factory.CreateClient();
        string oldClassifier = await Requests.ModelId(await Requests.Classify(client, "Anna"));
        string oldForecaster = await Requests.ModelId(await Requests.Forecast(client, Requests.History(0, 48)));

        var failures = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var names = Requests.Names(16);
        var traffic = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                var response = w % 2 == 0
                    ? await Requests.Classify(client, names[i % names.Length])
                    : await Requests.Forecast(client, Requests.History(i % 40, 48));
                if (!response.IsSuccessStatusCode)
                    failures.Enqueue($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                else seen.AddOrUpdate(await Requests.ModelId(response), 1, (_, n) => n + 1);
            }
        })).ToArray();

        await Task.Delay(300);
        Replace(models.ClassifierB, c); // a new file moved over the old one
        await File.WriteAllBytesAsync(f, await File.ReadAllBytesAsync(models.ForecasterB)); // rewritten in place
        var clock = Stopwatch.StartNew();
        string newClassifier = oldClassifier, newForecaster = oldForecaster;
        while ((newClassifier == oldClassifier || newForecaster == oldForecaster) && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50);
            newClassifier = await Requests.ModelId(await Requests.Classify(client, "Anna"));
            newForecaster = await Requests.ModelId(await Requests.Forecast(client, Requests.History(0, 48)));
        }
        while (!(seen.ContainsKey(newClassifier) && seen.ContainsKey(newForecaster)) && clock.Elapsed < TimeSpan.FromSeconds(25))
            await Task.Delay(50); // traffic on the new models too
        await Task.Delay(200);
        await stop.CancelAsync();
        await Task.WhenAll(traffic);

        Assert.Empty(failures);
        Assert.NotEqual(oldClassifier, newClassifier);
        Assert.NotEqual(oldForecaster, newForecaster);
        Assert.Subset(new HashSet<string> { oldClassifier, newClassifier, oldForecaster, newForecaster }, seen.Keys.ToHashSet());
        foreach (var id in new[] { oldClassifier, newClassifier, oldForecaster, newForecaster })
            Assert.True(seen.ContainsKey(id), $"traffic should have been answered by {id} (seen: {string.Join(", ", seen)})");

        // The answers now are model B's own.
        var b = ClassifierModel.Load(await File.ReadAllBytesAsync(models.ClassifierB)).Predict("Anna");
        var answer = await (await Requests.Classify(client, "Anna")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(b.Gender, answer.GetProperty("gender").GetString());
        Assert.Equal(b.Score[0], answer.GetProperty("probabilities").EnumerateObject().First().Value.GetSingle());
        var forecastB = ForecasterModel.Load(await File.ReadAllBytesAsync(models.ForecasterB))
            .Forecast(ModelTraining.AirPassengers()[..48], 12);
        var forecast = await (await Requests.Forecast(client, Requests.History(0, 48))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(forecastB.Upper, forecast.GetProperty("upper").EnumerateArray().Select(v => v.GetSingle()));
    }

    [Fact]
    public async Task AHalfWrittenOrCorruptFile_LeavesTheOldModelServing_UntilAGoodOneArrives()
    {
        var (c, f) = models.CopyOfA();
        using var factory = new ApiFactory(c, f);
        var client = factory.CreateClient();
        string old = await Requests.ModelId(await Requests.Classify(client, "Anna"));
        var full = await File.ReadAllBytesAsync(models.ClassifierB);

        await File.WriteAllBytesAsync(c, full[..(full.Length / 2)]); // a writer stopped half-way
        var health = await WaitForHealth(client, h => h.GetProperty("status").GetString() == "Degraded");
        Assert.Contains("zip", health.GetProperty("models").GetProperty("classifier").GetProperty("lastError").GetString()!);
        var during = await Requests.Classify(client, "Anna");
        Assert.True(during.IsSuccessStatusCode);
        Assert.Equal(old, await Requests.ModelId(during));

        await File.WriteAllTextAsync(c, "not a model"); // garbage
        await Task.Delay(400);
        Assert.Equal(old, await Requests.ModelId(await Requests.Classify(client, "Anna")));

        await File.WriteAllBytesAsync(c, full); // the writer finishes
        health = await WaitForHealth(client, h => h.GetProperty("status").GetString() == "Healthy");
        Assert.Equal(1, health.GetProperty("models").GetProperty("classifier").GetProperty("swaps").GetInt32());
        Assert.NotEqual(old, await Requests.ModelId(await Requests.Classify(client, "Anna")));
    }

    private static void Replace(string source, string destination)
    {
        string temp = destination + ".incoming";
        File.Copy(source, temp, overwrite: true);
        File.Move(temp, destination, overwrite: true);
    }

    private static async Task<JsonElement> WaitForHealth(HttpClient client, Func<JsonElement, bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var health = await client.GetFromJsonAsync<JsonElement>("/health");
            if (condition(health)) return health;
            if (clock.Elapsed > TimeSpan.FromSeconds(15)) Assert.Fail($"/health never reached the expected state: {health}");
            await Task.Delay(50);
        }
    }
}
