using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.ML;
using Microsoft.ML.Lstm.Examples.ForecastService;

// A bounded throughput run of one silo: trains the demo forecaster, saves it, starts one Orleans silo on localhost (memory grain
// storage) that loads the model once, then streams observations into many series grains from a fixed number of concurrent
// callers for a fixed time, and stops by itself. Not part of CI.
// Usage: dotnet run -c Release --project examples/ForecastService -- [seconds=10] [series=1000] [callers=64]
int seconds = Arg(0, 10), seriesCount = Arg(1, 1000), callers = Arg(2, 64);
if (seconds is < 1 or > 600 || seriesCount < 1 || callers < 1)
    throw new ArgumentException("Usage: [seconds 1..600] [series >= 1] [callers >= 1]");

var air = DemoSeries.AirPassengers();
var clock = Stopwatch.StartNew();
var mlContext = new MLContext(seed: 1);
var trained = DemoSeries.TrainModel(mlContext, air);
string modelPath = Path.Combine(Path.GetTempPath(), $"forecast-service-{Environment.ProcessId}.zip");
mlContext.Model.Save(trained, null, modelPath);
Console.WriteLine($"Trained the demo forecaster in {clock.Elapsed.TotalSeconds:F1} s; saved to {modelPath} " +
    $"({new FileInfo(modelPath).Length} bytes).");

// The engine alone, on this thread: one LSTM step plus the forecast, then the state written to bytes, per observation.
var model = new ForecastModel(trained, mlContext);
var local = model.NewEngine("local");
int stateBytes = ForecastModel.SaveState(local).Length;
long localCount = 0;
for (int pass = 0; pass < 2; pass++)   // the first pass warms up the JIT
{
    clock.Restart();
    for (localCount = 0; clock.Elapsed.TotalSeconds < Math.Min(2, seconds); localCount++)
    {
        local.Predict(new SeriesObservation { Value = DemoSeries.Value(air, 0, (int)(localCount % 48)) });
        ForecastModel.SaveState(local);
    }
}
Console.WriteLine($"Engine alone, one thread: {localCount / clock.Elapsed.TotalSeconds:F0} observations/s " +
    $"(step + forecast + SaveState); state {stateBytes} bytes.");

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.UseOrleans(silo => silo
    .UseLocalhostClustering()
    .AddMemoryGrainStorage(ForecastServiceHosting.StorageName)
    .AddForecastModel(modelPath));
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();

// Warm-up: activate every series once (first activation restores or creates its engine).
await Task.WhenAll(Enumerable.Range(0, seriesCount).Select(i => grains.GetGrain<ISeriesGrain>($"s{i}").LastSequenceNumber()));
var latencies = new List<double>[callers];
var next = new long[seriesCount];
var cpu = Process.GetCurrentProcess().TotalProcessorTime;
clock.Restart();
var deadline = TimeSpan.FromSeconds(seconds);
await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
{
    var mine = latencies[c] = [];
    var watch = new Stopwatch();
    for (int round = 0; clock.Elapsed < deadline; round++)
    {
        // Caller c owns the series c, c + callers, ...: one observation in flight per series, in order.
        for (int i = c; i < seriesCount && clock.Elapsed < deadline; i += callers)
        {
            long n = ++next[i];
            watch.Restart();
            await grains.GetGrain<ISeriesGrain>($"s{i}").Observe(DemoSeries.Value(air, i, (int)(n % 48)), n);
            mine.Add(watch.Elapsed.TotalMilliseconds);
        }
    }
})));
double elapsed = clock.Elapsed.TotalSeconds;
double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
var all = latencies.SelectMany(l => l).Order().ToArray();
Console.WriteLine($"One silo, {seriesCount} series, {callers} concurrent callers, {seconds} s: {all.Length} observations acknowledged " +
    $"(each stored before the answer) = {all.Length / elapsed:F0} observations/s; latency p50 {all[all.Length / 2]:F2} ms, " +
    $"p99 {all[(int)(all.Length * 0.99)]:F2} ms.");
// The machine may be shared: the CPU time this process got tells what a silo does per core-second.
Console.WriteLine($"CPU used by this process (silo and callers): {cpuSeconds:F1} s of {Environment.ProcessorCount} cores x " +
    $"{elapsed:F1} s " +
    $"= {all.Length / cpuSeconds:F0} observations per CPU-second; load average {LoadAverage()}.");
var forecast = await grains.GetGrain<ISeriesGrain>("s0").Forecast(model.Horizon);
Console.WriteLine($"Series s0 after observation {forecast.SequenceNumber}: forecast " +
    string.Join(", ", forecast.Forecast.Select(v => v.ToString("F0", CultureInfo.InvariantCulture))));
await host.StopAsync();
File.Delete(modelPath);

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
