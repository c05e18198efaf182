using System.Diagnostics;

namespace Microsoft.ML.Lstm.WebApi;

/// <summary><c>train &lt;folder&gt;</c>: writes &lt;folder&gt;/classifier/model.zip and &lt;folder&gt;/forecaster/model.zip.</summary>
public static class TrainCommand
{
    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: dotnet run -c Release --project examples/WebApi -- train <folder>");
            return 2;
        }
        string folder = Path.GetFullPath(args[0]);
        var clock = Stopwatch.StartNew();
        string classifier = Path.Combine(folder, "classifier", "model.zip");
        ModelTraining.TrainClassifier(classifier);
        Console.WriteLine($"names -> gender classifier written to {classifier} ({clock.Elapsed.TotalSeconds:F1} s)");
        clock.Restart();
        string forecaster = Path.Combine(folder, "forecaster", "model.zip");
        ModelTraining.TrainForecaster(forecaster);
        Console.WriteLine($"AirPassengers forecaster written to {forecaster} ({clock.Elapsed.TotalSeconds:F1} s)");
        Console.WriteLine($"Serve them with: dotnet run -c Release --project examples/WebApi -- --Models:Classifier={classifier} " +
            $"--Models:Forecaster={forecaster}");
        return 0;
    }
}
