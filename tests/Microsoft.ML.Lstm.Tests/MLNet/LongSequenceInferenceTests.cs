using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Tests.Core;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// Issue 17 item 5: scoring one very long sequence keeps memory bounded by the network, not the sequence (a unidirectional
/// many-to-one model runs it chunk by chunk), and gives the outputs of one pass over the whole sequence. The memory a
/// bidirectional engine still holds is read process-wide (<c>GC.GetTotalMemory</c>): no other test may run meanwhile (one
/// CI run in a few measured 18 MB held by tests running beside it).
/// </summary>
[Collection(nameof(AllocationCollection))]
public class LongSequenceInferenceTests(ITestOutputHelper output)
{
    private static (MLContext Ml, ITransformer Model) Train(bool bidirectional)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Transforms.CopyColumns("Label", nameof(SeqRow.Value)).Fit(LstmTestData.Load(ml, 60, 1))
            .Transform(LstmTestData.Load(ml, 60, 1));
        var o = LstmTestData.Options("Label", epochs: 1);
        o.Bidirectional = bidirectional;
        return (ml, ml.Transforms.CopyColumns("Label", nameof(SeqRow.Value)).Append(ml.Regression.Trainers.Lstm(o)).Fit(
            LstmTestData.Load(ml, 60, 1)));
    }

    private static SeqRow Row(int steps)
    {
        var rng = new Random(5);
        return new SeqRow { Features = [.. Enumerable.Range(0, 2 * steps).Select(_ => (float)(rng.NextDouble() - 0.5))] };
    }

    [Fact]
    public void ChunksGiveTheOutputOfOnePass()
    {
        var (ml, model) = Train(bidirectional: false);
        var row = Row(5_000);
        float chunked = ml.Model.CreatePredictionEngine<SeqRow, ValuePrediction>(model).Predict(row).Score;
        var net = ((IEnumerable<ITransformer>)model).OfType<LstmTransformer>().Single().Model.Network;
        float onePass = net.Forward(net.CreateWorkspace(), new SequenceBatch<float>(5_000, 1, 2, row.Features))[0];
        output.WriteLine($"chunked {chunked:R}, one pass {onePass:R}");
        Assert.Equal(onePass, chunked, 5);
    }

    [Fact]
    public void AMillionStepSequenceAllocatesLittleBeyondItsInput()
    {
        var (ml, model) = Train(bidirectional: false);
        var engine = ml.Model.CreatePredictionEngine<SeqRow, ValuePrediction>(model);
        engine.Predict(Row(2_000));
        var row = Row(1_000_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        float score = engine.Predict(row).Score;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long input = row.Features.Length * 4L;
        output.WriteLine($"1,000,000 steps: score {score}, {allocated:N0} bytes allocated (the input is {input:N0})");
        Assert.True(float.IsFinite(score));
        Assert.True(allocated < 4 * input, $"{allocated:N0} bytes allocated for an input of {input:N0}");
    }

    [Fact]
    public void ABidirectionalEngineLetsGoOfTheBuffersOfAVeryLongRow()
    {
        var (ml, model) = Train(bidirectional: true);
        var engine = ml.Model.CreatePredictionEngine<SeqRow, ValuePrediction>(model);
        engine.Predict(Row(2_000));
        var row = Row(200_000);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(float.IsFinite(engine.Predict(row).Score));
        long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        output.WriteLine($"200,000 steps, bidirectional: {retained:N0} bytes still held after scoring");
        Assert.True(retained < 16L << 20, $"{retained:N0} bytes still held after scoring");
        GC.KeepAlive(engine);
    }
}
