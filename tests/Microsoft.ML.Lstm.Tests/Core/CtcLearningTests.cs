using Microsoft.ML.Lstm.Core;
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
    /// <summary>
    /// Lines of 3–5 of the given images: columns as steps (8 values), gaps of 0–2 blank columns, shifts of 0–1 rows.
    /// </summary>
    internal static List<CtcSequence> Lines(IReadOnlyList<(float[] Pixels, int Digit)> digits, int count, int seed)
    {
        var rng = new Random(seed);
        var lines = new List<CtcSequence>(count);
        for (int n = 0; n < count; n++)
        {
            int k = 3 + rng.Next(3);
            var frames = new List<float>();
            var labels = new int[k];
            for (int i = 0; i < k; i++)
            {
                var (pixels, digit) = digits[rng.Next(digits.Count)];
                labels[i] = digit + 1;   // class 0 is the blank
                int shift = rng.Next(2), gap = i == 0 ? 1 : rng.Next(3);
                for (int g = 0; g < gap; g++) frames.AddRange(new float[8]);
                for (int col = 0; col < 8; col++)
                    for (int row = 0; row < 8; row++)
                        frames.Add(row - shift >= 0 ? pixels[(row - shift) * 8 + col] : 0);
            }
            frames.AddRange(new float[8]);
            lines.Add(new CtcSequence([.. frames], labels));
        }
        return lines;
    }

    [Fact]
    public void DigitLines_AreReadWithALowCharacterErrorRate()
    {
        var all = LearningTests.LoadDigits();
        var (trainDigits, testDigits) = TrainingLoop.Split(all, 0.2, seed: 2024);
        static List<(float[], int)> Images(SequenceDataset d) =>
            [.. Enumerable.Range(0, d.Count).Select(i => (d[i].Features!, d[i].Classes![0]))];
        var train = Lines(Images(trainDigits), 3000, 1);
        var test = Lines(Images(testDigits), 300, 2);

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
