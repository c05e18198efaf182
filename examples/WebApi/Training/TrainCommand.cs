using System.Diagnostics;

namespace Microsoft.ML.Lstm.WebApi;

/// <summary>
/// <c>train &lt;folder&gt; [seed]</c>: writes &lt;folder&gt;/classifier/model.zip and &lt;folder&gt;/forecaster/model.zip (another
/// seed gives other models, e.g. to try a hot swap).
/// </summary>
public static class TrainCommand
{
    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        if (args.Length is < 1 or > 2 || (args.Length == 2 && !int.TryParse(args[1], out _)))
        {
            Console.Error.WriteLine("usage: dotnet run -c Release --project examples/WebApi -- train <folder> [seed]");
            return 2;
        }
        int seed = args.Length == 2 ? int.Parse(args[1]) : 1;
        string folder = Path.GetFullPath(args[0]);
        var clock = Stopwatch.StartNew();
        string classifier = Path.Combine(folder, "classifier", "model.zip");
        ModelTraining.TrainClassifier(classifier, seed: seed);
        Console.WriteLine($"names -> gender classifier written to {classifier} ({clock.Elapsed.TotalSeconds:F1} s)");
        clock.Restart();
        string forecaster = Path.Combine(folder, "forecaster", "model.zip");
        ModelTraining.TrainForecaster(forecaster, seed: seed);
        Console.WriteLine($"AirPassengers forecaster written to {forecaster} ({clock.Elapsed.TotalSeconds:F1} s)");
        Console.WriteLine($"Serve them with: dotnet run -c Release --project examples/WebApi -- --Models:Classifier={classifier} " +
            $"--Models:Forecaster={forecaster}");
        return 0;
    }
}
