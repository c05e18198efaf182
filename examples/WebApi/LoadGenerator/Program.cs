using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

// A bounded load run against the WebApi example: a fixed number of connections, each sending one request after the
// other for a fixed time, then it stops by itself and prints requests/s, p50 and p99 latency and errors per endpoint.
// Not run in CI. Start the service first (see examples/WebApi/README.md), then:
//   dotnet run -c Release --project examples/WebApi/LoadGenerator -- [url] [seconds per endpoint] [connections]
string url = args.Length > 0 ? args[0] : "http://127.0.0.1:5080";
int seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
int connections = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
var warmUp = TimeSpan.FromSeconds(2);

string data = Path.Combine(AppContext.BaseDirectory, "data");
var names = File.ReadLines(Path.Combine(data, "stdlib_names_gender.csv")).Skip(1).Select(l => l.Split(',')[1])
    .Where(n => n.Length <= 24 && n.All(char.IsAsciiLetter)).ToArray();
var series = File.ReadLines(Path.Combine(data, "r_airpassengers.csv")).Skip(1)
    .Select(l => float.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections })
{
    BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30),
};
Console.WriteLine($"{url}: {connections} connections, {warmUp.TotalSeconds:F0} s warm-up + {seconds} s per endpoint, " +
    $"{Environment.ProcessorCount} cores seen by the client");
Console.WriteLine("| endpoint | requests | requests/s | p50 ms | p99 ms | errors |");
Console.WriteLine("|---|---|---|---|---|---|");
await Run("POST /classify", i => client.PostAsJsonAsync("/classify", new { name = names[i % names.Length] }));
await Run("POST /forecast (48 months)",
    i => client.PostAsJsonAsync("/forecast", new { observations = series.AsSpan(i % 96, 48).ToArray() }));
return 0;

async Task Run(string endpoint, Func<int, Task<HttpResponseMessage>> send)
{
    await Drive(send, warmUp);
    var (latencies, errors, elapsed) = await Drive(send, TimeSpan.FromSeconds(seconds));
    latencies.Sort();
    double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
    Console.WriteLine($"| {endpoint} | {latencies.Count + errors} | {(latencies.Count + errors) / elapsed.TotalSeconds:F0} | " +
        $"{P(0.50):F2} | {P(0.99):F2} | {errors} |");
}

async Task<(List<double> Latencies, int Errors, TimeSpan Elapsed)> Drive(Func<int, Task<HttpResponseMessage>> send, TimeSpan duration)
{
    var clock = Stopwatch.StartNew();
    int next = 0;
    var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
    {
        var latencies = new List<double>();
        int errors = 0;
        while (clock.Elapsed < duration)
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                using var response = await send(Interlocked.Increment(ref next));
                await response.Content.LoadIntoBufferAsync();
                if (response.IsSuccessStatusCode) latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                else errors++;
            }
            catch (HttpRequestException) { errors++; }
            catch (TaskCanceledException) { errors++; }
        }
        return (latencies, errors);
    })).ToArray();
    var results = await Task.WhenAll(workers);
    return (results.SelectMany(r => r.latencies).ToList(), results.Sum(r => r.errors), clock.Elapsed);
}
