using System.Diagnostics;
using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Examples;
using Microsoft.ML.Lstm.Training;

// The adding problem at several sequence lengths: trains an LSTM per length and prints the test MSE
// next to the 0.167 of always predicting the mean.
// Usage: dotnet run -c Release --project examples/AddingProblem -- [steps ...] [--train N] [--epochs N] [--hidden N]
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
    var result = AddingProblemRun.Run(t, train, epochs, hidden, batch, lr, seed: 42, progress: p => Console.Error.WriteLine($"  T={t} {p}"));
    Console.WriteLine($"| {t} | {train} | {result.Epochs} | {result.TestMse:F5} | {result.BaselineMse:F3} | {result.Seconds:F0} |");
}

namespace Microsoft.ML.Lstm.Examples
{
    /// <summary>One adding-problem experiment: train, then score a fresh test set.</summary>
    public static class AddingProblemRun
    {
        /// <summary>Trains and returns the test MSE, the predict-the-mean MSE, epochs run and seconds.</summary>
        public static (double TestMse, double BaselineMse, int Epochs, double Seconds) Run(int steps, int trainCount, int epochs, int hidden,
            int batchSize, double learningRate, ulong seed, Action<EpochProgress>? progress = null)
        {
            var clock = Stopwatch.StartNew();
            var trainData = AddingProblemData.Generate(trainCount, steps, seed);
            var validation = AddingProblemData.Generate(Math.Max(200, trainCount / 10), steps, seed + 1);
            var test = AddingProblemData.Generate(2000, steps, seed + 2);
            var net = new LstmNetwork<float>(new LstmNetworkSpec { InputSize = 2, HiddenSize = hidden, OutputSize = 1 });
            net.Initialize(seed);
            var options = new TrainingOptions
            {
                Loss = LossKind.MeanSquaredError, NumberOfEpochs = epochs, BatchSize = batchSize, Seed = seed,
                Schedule = new ReduceOnPlateauSchedule(learningRate, factor: 0.5, patience: 2),
                GradientClipNorm = 1.0, EarlyStoppingPatience = 6, Progress = progress,
            };
            var result = TrainingLoop.Train(net, trainData, validation, options);
            var (mse, _) = Evaluation.Evaluate(net, test, options);
            double baseline = 0;
            for (int i = 0; i < test.Count; i++) { double d = test[i].Target![0] - 1.0; baseline += d * d; }
            return (mse, baseline / test.Count, result.History.Count, clock.Elapsed.TotalSeconds);
        }
    }
}
