using Microsoft.ML.Lstm.Core;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>
/// Training keeps at most 1.1 × the activations BPTT needs (<see cref="LstmWorkspace{T}.MinimumActivationBytes"/>:
/// gates, c and h per step, sample, layer and direction): no duplicate copies of states or inputs.
/// </summary>
public class ActivationMemoryTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, (LstmNetworkSpec Spec, int Steps, int Batch)> Problems = new()
    {
        ["2 layers, bidirectional, both dropouts"] = (new()
        {
            InputSize = 5, HiddenSize = 16, NumberOfLayers = 2, Bidirectional = true, Dropout = 0.3, RecurrentDropout = 0.2,
            Head = HeadKind.ManyToMany, OutputSize = 3,
        }, 12, 9),
        ["1 layer (shape a)"] = (new() { InputSize = 16, HiddenSize = 64, OutputSize = 1 }, 50, 32),
        ["3 layers, dropout, tokens"] = (new()
        {
            InputSize = 6, HiddenSize = 24, NumberOfLayers = 3, Dropout = 0.5,
            Head = HeadKind.ManyToMany, OutputSize = 3, VocabularySize = 30,
        }, 20, 8),
        ["2 layers, dropout (shape d)"] = (new() { InputSize = 64, HiddenSize = 256, NumberOfLayers = 2, Dropout = 0.2, OutputSize = 1 },
            100, 32),
    };

    public static TheoryData<string> Cases() => new(Problems.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void TrainingActivations_StayWithin10PercentOfTheMinimum(string name)
    {
        var (spec, steps, batch) = Problems[name];
        var net = LstmTestKit.CreateNetwork<float>(spec, seed: 1, threads: 2);
        var rng = new Rng(2);
        var lengths = Enumerable.Range(0, batch).Select(b => b == 0 ? steps : 1 + rng.NextInt(steps)).ToArray();
        var ws = net.CreateWorkspace();
        var y = net.Forward(ws, LstmTestKit.RandomBatch<float>(spec, steps, lengths, rng, initialState: false),
            training: true, dropoutSeed: 3);
        net.Backward(ws, new float[y.Length], net.Parameters.ZerosLike());

        double ratio = (double)ws.ActivationBytes / ws.MinimumActivationBytes;
        output.WriteLine($"{name}: {ws.ActivationBytes:N0} bytes kept, minimum {ws.MinimumActivationBytes:N0}, ratio {ratio:F4}");
        Assert.InRange(ratio, 1.0, 1.1);
    }
}
