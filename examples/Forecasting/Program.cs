using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Lstm;

// Monthly airline passengers (Box & Jenkins): train ForecastByLstm on all but the last 24 months, forecast
// them with a 95% interval, compare with the seasonal naive forecast, plot, save, reload, and stream the
// held-out months into the reloaded model one at a time.
// Usage: dotnet run -c Release --project examples/Forecasting [-- path/to/series.csv [horizon] [period]]
string path = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", "r_airpassengers.csv");
int horizon = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 24;
int period = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 12;
var clock = Stopwatch.StartNew();
var rows = File.ReadLines(path).Skip(1).Select(l => l.Split(','))
    .Select(c => new Observation { Month = c[0], Value = float.Parse(c[1], CultureInfo.InvariantCulture) }).ToList();
int trainSize = rows.Count - horizon;
var mlContext = new MLContext(seed: 1);
var data = mlContext.Data.LoadFromEnumerable(rows);

var forecaster = mlContext.Forecasting.ForecastByLstm(new LstmForecastingOptions
{
    OutputColumnName = "Forecast", InputColumnName = nameof(Observation.Value),
    WindowSize = 36, SeriesLength = 72, TrainSize = trainSize, Horizon = horizon, ConfidenceLevel = 0.95f,
    ConfidenceLowerBoundColumn = "Lower", ConfidenceUpperBoundColumn = "Upper", SeasonalPeriod = period,
});
Console.WriteLine($"Training on {trainSize} of {rows.Count} points of {Path.GetFileName(path)} ...");
var model = forecaster.Fit(data);
var engine = model.CreateForecastingEngine<Observation, Forecast>(mlContext);
var f = engine.Predict();

var history = rows.Take(trainSize).Select(r => (double)r.Value).ToArray();
var actual = rows.Skip(trainSize).Select(r => (double)r.Value).ToArray();
var naive = Enumerable.Range(0, horizon).Select(h => history[trainSize - period + h % period]).ToArray();
var ours = f.Forecast_.Select(v => (double)v).ToArray();
Console.WriteLine("| month | actual | forecast | 95% lower | 95% upper | seasonal naive |");
Console.WriteLine("|---|---|---|---|---|---|");
for (int h = 0; h < horizon; h++)
    Console.WriteLine(
        $"| {rows[trainSize + h].Month} | {actual[h]:F0} | {ours[h]:F1} | {f.Lower[h]:F1} | {f.Upper[h]:F1} | {naive[h]:F0} |");
Console.WriteLine();
Console.WriteLine("| method | MAE | RMSE | MAPE % | sMAPE % | MASE |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach (var (name, fc) in new[] { ("ForecastByLstm", ours), ("seasonal naive", naive) })
    Console.WriteLine($"| {name} | {ForecastMetrics.Mae(actual, fc):F2} | {ForecastMetrics.Rmse(actual, fc):F2} | " +
        $"{ForecastMetrics.Mape(actual, fc):F2} | {ForecastMetrics.Smape(actual, fc):F2} | " +
        $"{ForecastMetrics.Mase(actual, fc, history, period):F3} |");
double covered = actual.Where((a, h) => a >= f.Lower[h] && a <= f.Upper[h]).Count() / (double)horizon;
Console.WriteLine($"95% interval covers {covered:P0} of the held-out months.");

string plotPath = Path.Combine(Environment.CurrentDirectory, "forecast.png");
File.WriteAllBytes(plotPath, LstmPlots.Forecast(rows.Select(r => r.Month).ToArray(), history, actual, ours, f.Lower, f.Upper,
    Path.GetFileNameWithoutExtension(path)));
Console.WriteLine($"Plot written to {plotPath}");
var member = model.TrainingHistory[0];
string curvePath = Path.Combine(Environment.CurrentDirectory, "forecast-training-curve.png");
File.WriteAllBytes(curvePath, LstmPlots.TrainingCurve(member, "ForecastByLstm: ensemble member 1 of " + model.TrainingHistory.Count));
Console.WriteLine($"Member 1 of {model.TrainingHistory.Count}: {member.Count} epochs, training pinball loss {member[0].TrainLoss:G3} -> " +
    $"{member[^1].TrainLoss:G3}; curve written to {curvePath}");

// Which months drove the forecast: integrated gradients of the first forecast month from a flat history.
var explainClock = Stopwatch.StartNew();
var why = model.Explain(rows.Take(trainSize).Select(r => r.Value).ToArray(), horizonStep: 1);
var drivers = why.StepTotals(0).Select((v, t) => (Month: rows[t].Month, Part: v)).OrderByDescending(d => Math.Abs(d.Part)).Take(5);
Console.WriteLine($"{rows[trainSize].Month} forecast {why.Score[0]:F1} against {why.BaselineScore[0]:F1} from a flat history; " +
    $"largest parts: {string.Join(", ", drivers.Select(d => $"{d.Month} {d.Part:+0.0;-0.0}"))} ({why.NumberOfPoints} points, " +
    $"completeness error {why.CompletenessError():P2}, {explainClock.Elapsed.TotalSeconds:F1} s)");

string modelPath = Path.Combine(Environment.CurrentDirectory, "forecast-model.zip");
mlContext.Model.Save(model, data.Schema, modelPath);
var reloaded = (LstmForecastingTransformer)new MLContext().Model.Load(modelPath, out _);
var stream = reloaded.CreateForecastingEngine<Observation, Forecast>(mlContext);
Console.WriteLine(
    $"Saved and reloaded {modelPath} (trained with seed {reloaded.Options.Seed}, {reloaded.Options.EnsembleSize} members); streaming the " +
    "held-out months into it:");
for (int h = 0; h < Math.Min(4, horizon); h++)
{
    var next = stream.Predict(rows[trainSize + h]);
    Console.WriteLine(
        $"  after {rows[trainSize + h].Month} = {actual[h]:F0}: next month {next.Forecast_[0]:F1} [{next.Lower[0]:F1}, " +
        $"{next.Upper[0]:F1}], actual {(h + 1 < horizon ? actual[h + 1].ToString("F0", CultureInfo.InvariantCulture) : "?")}");
}
Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s.");

/// <summary>One month of the series.</summary>
public sealed class Observation
{
    /// <summary>Label such as 1960-01.</summary>
    public string Month { get; set; } = "";

    /// <summary>The value.</summary>
    public float Value { get; set; }
}

/// <summary>Forecast and 95% bounds.</summary>
public sealed class Forecast
{
    /// <summary>Point forecasts.</summary>
    [Microsoft.ML.Data.ColumnName("Forecast")] public float[] Forecast_ { get; set; } = [];

    /// <summary>Lower bounds.</summary>
    public float[] Lower { get; set; } = [];

    /// <summary>Upper bounds.</summary>
    public float[] Upper { get; set; } = [];
}
