using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>Language-model pieces of the core: generation with a carried state, sampling controls, bits per token.</summary>
public class LanguageModelTests
{
    private static LstmNetwork<float> Model(int vocabulary, ulong seed, int layers = 2)
    {
        var net = new LstmNetwork<float>(new LstmNetworkSpec
        {
            InputSize = 5, HiddenSize = 8, NumberOfLayers = layers, VocabularySize = vocabulary, Head = HeadKind.ManyToMany,
            OutputSize = vocabulary,
        });
        net.Initialize(seed);
        return net;
    }

    [Fact]
    public void Greedy_CarriesTheState_AsRerunningTheWholeTextWould()
    {
        var net = Model(6, 3);
        var generated = new TokenGenerator(net).Generate([1, 4, 2], length: 12, temperature: 0, topK: 0, seed: 1);
        // Reference: at every step run the whole text so far from the start and take the argmax of its last output.
        var text = new List<int> { 1, 4, 2 };
        var ws = net.CreateWorkspace();
        for (int i = 0; i < 12; i++)
        {
            var y = net.Forward(ws, new SequenceBatch<float>(text.Count, 1, 1, null, [.. text])).ToArray();
            var last = y.AsSpan((text.Count - 1) * 6, 6);
            int best = 0;
            for (int c = 1; c < 6; c++) if (last[c] > last[best]) best = c;
            Assert.Equal(best, generated[i]);
            text.Add(best);
        }
    }

    [Fact]
    public void Sampling_IsSeeded_AndTopOneIsGreedy()
    {
        var net = Model(7, 5);
        var generator = new TokenGenerator(net);
        var a = generator.Generate([2], 30, temperature: 1.5, topK: 0, seed: 9);
        Assert.Equal(a, generator.Generate([2], 30, temperature: 1.5, topK: 0, seed: 9));
        Assert.NotEqual(a, generator.Generate([2], 30, temperature: 1.5, topK: 0, seed: 10));
        Assert.Equal(generator.Generate([2], 30, temperature: 0, topK: 0, seed: 1),
            generator.Generate([2], 30, temperature: 3, topK: 1, seed: 2));
        Assert.All(generator.Generate([2], 200, temperature: 5, topK: 2, seed: 3), t => Assert.InRange(t, 0, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate([2], 5, temperature: -1, topK: 0, seed: 1));
        Assert.Throws<ArgumentException>(() => generator.Generate([], 5, temperature: 1, topK: 0, seed: 1));
    }

    [Fact]
    public void AModelThatKnowsNothing_CostsLog2OfTheVocabularyPerToken()
    {
        var net = Model(8, 1, layers: 1);
        foreach (var slot in net.Parameters.Slots.Where(s => s.Name.StartsWith("head.", StringComparison.Ordinal)))
            net.Parameters.Values.AsSpan(slot.Offset, slot.Length).Clear();   // every logit 0: uniform
        Assert.Equal(3.0, LanguageModelEvaluation.BitsPerToken(net, [[1, 2, 3, 4], [5, 6]]), 5);
    }

    [Fact]
    public void ALearnedModel_ContinuesTheText_AndCostsFewBits()
    {
        // "abcd" repeated as tokens 1..4, from every starting letter.
        var sequences = Enumerable.Range(0, 40).Select(i => Enumerable.Range(i % 4, 12).Select(t => t % 4 + 1).ToArray()).ToList();
        var net = Model(5, 7, layers: 1);
        var data = new SequenceDataset(1, sequences.Select(s => new SequenceSample { Tokens = s[..^1], Classes = s[1..] }));
        TrainingLoop.Train(net, data, null, new TrainingOptions
        {
            Loss = LossKind.SoftmaxCrossEntropy, NumberOfEpochs = 60, BatchSize = 8, LearningRate = 2e-2, Seed = 1,
        });
        Assert.Equal([3, 4, 1, 2, 3, 4], new TokenGenerator(net).Generate([1, 2], 6, temperature: 0, topK: 0, seed: 1));
        double bits = LanguageModelEvaluation.BitsPerToken(net, sequences);
        Assert.True(bits < 0.2, $"{bits:F3} bits per token (uniform: {Math.Log2(5):F2})");
    }
}
