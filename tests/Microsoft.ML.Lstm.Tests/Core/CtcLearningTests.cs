using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Examples;
using Microsoft.ML.Lstm.Training;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>
/// Unaligned labelling end to end in the core: a bidirectional LSTM trained with CTC reads lines of 3–5 handwritten
/// digits (8×8 images side by side, random gaps and vertical shifts, one pixel column per step) and writes the digits,
/// with no alignment given. Training lines use training-split digits only, test lines test-split digits only.
/// </summary>
public class CtcLearningTests(ITestOutputHelper output)
{
    /// <summary>Lines of 3–5 of the given images (examples/DigitLines' generator), labels = digit + 1 (class 0 is the blank).</summary>
    private static List<CtcSequence> Lines(List<(float[] Pixels, int Digit)> images, int count, int seed) =>
        [.. DigitLineData.Lines(images, count, 3, 5, seed)
            .Select(l => new CtcSequence(l.Frames, [.. l.Digits.Select(d => int.Parse(d) + 1)]))];

    [Fact]
    public void DigitLines_AreReadWithALowCharacterErrorRate()
    {
        var images = DigitLineData.LoadImages(Path.Combine(AppContext.BaseDirectory, "data", "sklearn_digits_8x8.csv"));
        var order = Enumerable.Range(0, images.Count).ToArray();
        new Random(2024).Shuffle(order);
        int nTest = images.Count / 5;
        var train = Lines([.. order[nTest..].Select(i => images[i])], 3000, 1);
        var test = Lines([.. order[..nTest].Select(i => images[i])], 300, 2);

        var net = new LstmNetwork<float>(new LstmNetworkSpec
        {
            InputSize = 8, HiddenSize = 32, Bidirectional = true, Head = HeadKind.ManyToMany, OutputSize = 11,
        });
        net.Initialize(5);
        var settings = new LoopSettings(NumberOfEpochs: 40, BatchSize: 16, new ConstantSchedule(5e-3), GradientClipNorm: 5,
            EarlyStoppingPatience: 0, Seed: 5, ShuffleStream: 1, Progress: p => output.WriteLine(p.ToString()));
        TrainingLoop.Run(new CtcTask(net, train, new OptimizerOptions()), settings, CancellationToken.None);

        var ws = net.CreateWorkspace();
        var pairs = test.Select(line =>
        {
            int steps = line.Frames.Length / 8;
            var y = net.Forward(ws, new SequenceBatch<float>(steps, 1, 8, line.Frames)).ToArray();
            return (line.Labels, CtcDecoder.Greedy<float>(y, steps, 11));
        }).ToList();
        double cer = EditDistance.ErrorRate<int>(pairs);
        output.WriteLine($"test character error rate {cer:P2} over {pairs.Sum(p => p.Labels.Length)} digits in {test.Count} lines");
        Assert.True(cer < 0.05, $"character error rate {cer:P2}");
    }
}
