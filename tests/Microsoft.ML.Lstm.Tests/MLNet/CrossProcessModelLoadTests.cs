using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// The persistence route end to end: a transformer of this repository is saved with
/// <c>MLContext.Model.Save</c> here and loaded with <c>MLContext.Model.Load</c> in a fresh process
/// that calls no API of this repository, and it scores the same data bit for bit. Guards the
/// publicized references, IgnoresAccessChecksTo, the LoadableClass registration and the loader
/// assembly name recorded in the model.
/// </summary>
public sealed class CrossProcessModelLoadTests
{
    private static readonly TimeSpan HostTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ModelSavedHereLoadsInAnotherProcessWithBitIdenticalOutput(bool inChain)
    {
        var mlContext = new MLContext(seed: 11);
        IDataView data = mlContext.Data.LoadFromEnumerable(ScaleTestData.Rows(count: 200, seed: 5));
        var scale = ScaleTransformer.Fit(mlContext, data, "Scaled", "Features", offset: 0.25f);
        ITransformer model = inChain
            ? mlContext.Transforms.CopyColumns("Copy", "Features").Fit(data).Append(scale)
            : scale;
        float[][] expected = ScaleTestData.ReadColumn(model.Transform(data), "Scaled");

        using var dir = new TempDirectory();
        string modelPath = dir.File("model.zip");
        string inputPath = dir.File("input.idv");
        string outputPath = dir.File("output.idv");
        mlContext.Model.Save(model, data.Schema, modelPath);
        using (var input = File.Create(inputPath))
            mlContext.Data.SaveAsBinary(data, input);

        var result = ModelLoadHostProcess.Run(HostTimeout, modelPath, inputPath, outputPath);

        Assert.True(result.ExitCode == 0, result.ToString());
        string scaleType = typeof(ScaleTransformer).FullName!;
        if (inChain)
            Assert.Contains($"chain element: {scaleType}", result.StandardOutput);
        else
            Assert.Contains($"transformer: {scaleType}", result.StandardOutput);
        Assert.Contains("rows: 200", result.StandardOutput);

        IDataView scoredThere = mlContext.Data.LoadFromBinary(outputPath);
        var column = scoredThere.Schema["Scaled"];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, ScaleRow.Size), column.Type);
        ScaleTestData.AssertBitIdentical(expected, ScaleTestData.ReadColumn(scoredThere, "Scaled"));
    }
}
