using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Lstm;
using Microsoft.ML.Lstm.Examples;

// The adding problem at several sequence lengths, through the ML.NET regression catalog: trains an LSTM per
// length and prints the test MSE next to the 0.167 of always predicting the mean.
// Usage: dotnet run -c Release --project examples/AddingProblem -- [steps ...] [--train N] [--epochs N] [--hidden N] [--batch N] [--lr X]
var steps = new List<int>();
int train = 10000, epochs = 30, hidden = 32, batch = 32;
double lr = 3e-3;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--train": train = int.Parse(args[++i]); break;
        case "--epochs": epochs = int.Parse(args[++i]); break;
        case "--hidden": hidden = int.Parse(args[++i]); break;
        case "--batch": batch = int.Parse(args[++i]); break;
        case "--lr": lr = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        default: steps.Add(int.Parse(args[i])); break;
    }
}
if (steps.Count == 0) steps.AddRange([100, 200]);

Console.WriteLine("| steps | train sequences | epochs | test MSE | predict-the-mean MSE | seconds |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach (int t in steps)
{
    var clock = Stopwatch.StartNew();
    var mlContext = new MLContext(seed: 42);
    int epochsRun = 0;
    var options = new LstmOptions
    {
        FeaturesPerStep = 2, HiddenSize = hidden, NumberOfEpochs = epochs, BatchSize = batch, LearningRate = lr,
        LearningRateSchedule = LstmLearningRateSchedule.ReduceOnPlateau, LearningRateDecayFactor = 0.5, LearningRateDecayEpochs = 4,
        GradientClipNorm = 1.0, ValidationFraction = 0.1, EarlyStoppingPatience = 10,
        Progress = p =>
        {
            epochsRun = p.Epoch;
            Console.Error.WriteLine($"  T={t} {p}; at most {(p.NumberOfEpochs - p.Epoch) * p.Seconds:F0} s left");
        },
    };
    var trainData = mlContext.Data.LoadFromEnumerable(AddingProblemData.Generate(train, t, seed: 42));
    var test = AddingProblemData.Generate(2000, t, seed: 44);
    var model = mlContext.Regression.Trainers.Lstm(options).Fit(trainData);
    var metrics = mlContext.Regression.Evaluate(model.Transform(mlContext.Data.LoadFromEnumerable(test)));
    double baseline = test.Average(r => (r.Label - 1.0) * (r.Label - 1.0));
    Console.WriteLine($"| {t} | {train} | {epochsRun} | {metrics.MeanSquaredError:F5} | {baseline:F3} | {clock.Elapsed.TotalSeconds:F0} |");
}
