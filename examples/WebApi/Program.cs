using Microsoft.ML.Lstm.WebApi;

// A web API serving two saved Microsoft.ML.Lstm models (issue 16):
//   POST /classify  {"name": "Maria"}            names -> gender, PredictionEngines from an ObjectPool
//   POST /forecast  {"observations": [...]}      stateless AirPassengers forecast with 95% bounds
//   GET  /health, GET /openapi/v1.json
// The model files are named in configuration (appsettings.json: Models:Classifier, Models:Forecaster) and watched: a
// replaced file is loaded in the background and swapped in; requests never fail across the swap.
// Train the models first (the service never trains):  dotnet run -c Release --project examples/WebApi -- train <folder>
// Serve:  dotnet run -c Release --project examples/WebApi -- --urls http://127.0.0.1:5080
if (args.Length > 0 && args[0] == "train")
    return TrainCommand.Run(args[1..]);

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddSingleton<ServedModels>();
builder.Services.AddHostedService<ModelStartup>();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
app.MapClassify();
app.MapForecast();
app.MapHealth();
app.Run();
return 0;

/// <summary>The entry point; public for <c>WebApplicationFactory&lt;Program&gt;</c> in the tests.</summary>
public partial class Program;
