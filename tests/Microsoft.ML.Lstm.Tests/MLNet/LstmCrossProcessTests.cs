using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// A pipeline with an LSTM is saved here and loaded in a fresh process (tests/Microsoft.ML.Lstm.ModelLoadHost,
/// a stand-in user application that calls none of this library's API before <c>Model.Load</c>); its
/// scores must be bit-identical to the ones computed in this process.
/// </summary>
public class LstmCrossProcessTests(ITestOutputHelper output)
{
    [Fact]
    public void MulticlassPipelineLoadsInAnotherProcessWithIdenticalScores()
    {
        var ml = new MLContext(seed: 1);
        var data = LstmTestData.Load(ml, 200, 21);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(SeqRow.Part))
            .Append(ml.MulticlassClassification.Trainers.Lstm(new LstmOptions
            {
                FeaturesPerStep = 2, HiddenSize = 12, NumberOfLayers = 2, Bidirectional = true, NumberOfEpochs = 3, Seed = 3,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedPart", "PredictedLabel"));
        var model = pipeline.Fit(data);
        var test = LstmTestData.Load(ml, 50, 22);

        using var dir = new TempDirectory();
        string modelPath = dir.File("model.zip"), inputPath = dir.File("input.idv"), outputPath = dir.File("scores.idv");
        ml.Model.Save(model, data.Schema, modelPath);
        using (var f = File.Create(inputPath)) ml.Data.SaveAsBinary(test, f);

        var run = ModelLoadHostProcess.Run(TimeSpan.FromMinutes(2), modelPath, inputPath, outputPath);
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("chain element: Microsoft.ML.Lstm.LstmTransformer", run.StandardOutput);

        var here = model.Transform(test);
        var there = ml.Data.LoadFromBinary(outputPath);
        var a = here.GetColumn<float[]>("Score").ToArray();
        var b = there.GetColumn<float[]>("Score").ToArray();
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.Equal(a[i].Select(BitConverter.SingleToInt32Bits), b[i].Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(here.GetColumn<ReadOnlyMemory<char>>("PredictedPart").Select(m => m.ToString()),
            there.GetColumn<ReadOnlyMemory<char>>("PredictedPart").Select(m => m.ToString()));
    }
}
