using System.Globalization;
using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Examples;
using Microsoft.ML.Lstm.Training;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>End-to-end learning on two classic problems, with the thresholds the Core issue sets.</summary>
public class LearningTests(ITestOutputHelper output)
{
    [Fact]
    public void AddingProblemAt50StepsBeatsThePredictTheMeanBaseline()
    {
        var train = AddingProblem(8000, seed: 1);
        var validation = AddingProblem(500, seed: 2);
        var test = AddingProblem(2000, seed: 3);
        var net = new LstmNetwork<float>(new LstmNetworkSpec { InputSize = 2, HiddenSize = 32, OutputSize = 1 });
        net.Initialize(7);
        var options = new TrainingOptions
        {
            Loss = LossKind.MeanSquaredError, NumberOfEpochs = 8, BatchSize = 32, LearningRate = 3e-3, GradientClipNorm = 1,
            Seed = 7, EarlyStoppingPatience = 3, Progress = p => output.WriteLine(p.ToString()),
        };
        TrainingLoop.Train(net, train, validation, options);
        var (mse, _) = Evaluation.Evaluate(net, test, options);
        output.WriteLine($"adding problem, 50 steps: test MSE {mse:F5} (predicting the mean ≈ 0.167)");
        Assert.True(mse < 0.05, $"test MSE {mse}");
    }

    private static SequenceDataset AddingProblem(int count, int seed) =>
        new(2,
            AddingProblemData.Generate(count, 50, seed)
                .Select(r => new SequenceSample { Features = r.Features, Target = [r.Label] }).ToArray());

    [Fact]
    public void DigitsAsEightStepsOfEightPixelsReach95PercentAccuracy()
    {
        var all = LoadDigits();
        var (train, test) = TrainingLoop.Split(all, 0.2, seed: 2024);
        var net = new LstmNetwork<float>(new LstmNetworkSpec { InputSize = 8, HiddenSize = 64, OutputSize = 10 });
        net.Initialize(3);
        var options = new TrainingOptions
        {
            Loss = LossKind.SoftmaxCrossEntropy, NumberOfEpochs = 30, BatchSize = 32, LearningRate = 5e-3, Seed = 3,
            Progress = p => output.WriteLine(p.ToString()),
        };
        TrainingLoop.Train(net, train, null, options);
        var (_, accuracy) = Evaluation.Evaluate(net, test, options);
        output.WriteLine($"digits: test accuracy {accuracy:P2} on {test.Count} images");
        Assert.True(accuracy >= 0.95, $"test accuracy {accuracy}");
    }

    /// <summary>The 8×8 digits: each image is a sequence of 8 rows of 8 pixels scaled to [0, 1].</summary>
    internal static SequenceDataset LoadDigits()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "sklearn_digits_8x8.csv");
        var samples = File.ReadLines(path).Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            var pixels = cells.Skip(1).Select(c => float.Parse(c, CultureInfo.InvariantCulture) / 16f).ToArray();
            return new SequenceSample { Features = pixels, Classes = [int.Parse(cells[0], CultureInfo.InvariantCulture)] };
        });
        return new SequenceDataset(8, samples);
    }
}
