using System.IO.Compression;
using System.Text;
using Microsoft.ML.Lstm.MLNet.Internals;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// Saving and loading <see cref="ScaleTransformer"/> through <c>MLContext.Model</c> in this process:
/// round trip, what lands in the zip, and how corrupt models fail.
/// </summary>
public sealed class ModelSaveLoadTests
{
    private const string ChainDir = "TransformerChain/";

    private static (MLContext Context, IDataView Data, ScaleTransformer Model, byte[] Zip) SaveScale()
    {
        var mlContext = new MLContext(seed: 3);
        IDataView data = mlContext.Data.LoadFromEnumerable(ScaleTestData.Rows(count: 40, seed: 9));
        var model = ScaleTransformer.Fit(mlContext, data, "Scaled", "Features", offset: -1.5f);
        using var stream = new MemoryStream();
        mlContext.Model.Save(model, data.Schema, stream);
        return (mlContext, data, model, stream.ToArray());
    }

    private static byte[] ReadEntry(byte[] zip, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var entry = archive.GetEntry(name)?.Open() ?? throw new KeyNotFoundException(name);
        using var copy = new MemoryStream();
        entry.CopyTo(copy);
        return copy.ToArray();
    }

    private static byte[] RewriteEntry(byte[] zip, string name, Func<byte[], byte[]?> rewrite)
    {
        byte[] old = ReadEntry(zip, name);
        var stream = new MemoryStream();
        stream.Write(zip);
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            archive.GetEntry(name)!.Delete();
            byte[]? replacement = rewrite(old);
            if (replacement != null)
            {
                using var entry = archive.CreateEntry(name).Open();
                entry.Write(replacement);
            }
        }
        return stream.ToArray();
    }

    private static InvalidDataException LoadFails(MLContext mlContext, byte[] zip)
    {
        var ex = Assert.ThrowsAny<Exception>(() => mlContext.Model.Load(new MemoryStream(zip), out _));
        for (Exception? e = ex; e != null; e = e.InnerException)
        {
            if (e is InvalidDataException found)
                return found;
        }
        Assert.Fail($"Expected an InvalidDataException inside {ex}");
        return null!;
    }

    [Fact]
    public void RoundTripReturnsTheSameTransformerAndBitIdenticalOutput()
    {
        var (mlContext, data, model, zip) = SaveScale();

        ITransformer loaded = mlContext.Model.Load(new MemoryStream(zip), out var inputSchema);

        var scale = Assert.IsType<ScaleTransformer>(loaded);
        Assert.Equal(model.Weights.ToArray(), scale.Weights.ToArray());
        Assert.Equal((model.OutputColumn, model.InputColumn, model.Offset, model.RowsSeen),
            (scale.OutputColumn, scale.InputColumn, scale.Offset, scale.RowsSeen));
        Assert.Equal(data.Schema["Features"].Type, inputSchema["Features"].Type);
        ScaleTestData.AssertBitIdentical(
            ScaleTestData.ReadColumn(model.Transform(data), "Scaled"),
            ScaleTestData.ReadColumn(loaded.Transform(data), "Scaled"));
    }

    [Fact]
    public void ZipHoldsTheHeaderWithTheSimpleLoaderAssemblyNameAndTheWeightsBlob()
    {
        var (_, _, model, zip) = SaveScale();

        byte[] main = ReadEntry(zip, ChainDir + "Model.key");
        string text = Encoding.UTF8.GetString(main);
        Assert.Contains("Microsoft.ML.Lstm.Tests", text);
        Assert.DoesNotContain("Version=", text);
        Assert.Contains("LTSTSCAL", text); // model signature: 8 bytes of the header

        byte[] blob = ReadEntry(zip, ChainDir + "weights.bin");
        Assert.Equal(4 + 4 * model.Weights.Length, blob.Length);
    }

    [Fact]
    public void TruncatedBlobFailsNamingTheField()
    {
        var (mlContext, _, _, zip) = SaveScale();
        byte[] corrupt = RewriteEntry(zip, ChainDir + "weights.bin", old => old[..^3]);

        var ex = LoadFails(mlContext, corrupt);

        Assert.Contains("LstmTestScaleTransform/weights.bin", ex.Message);
        Assert.Contains("field 'weights'", ex.Message);
    }

    [Fact]
    public void MissingBlobFailsNamingTheEntry()
    {
        var (mlContext, _, _, zip) = SaveScale();
        byte[] corrupt = RewriteEntry(zip, ChainDir + "weights.bin", _ => null);

        var ex = LoadFails(mlContext, corrupt);

        Assert.Contains("field 'weights.bin': the entry is missing", ex.Message);
    }

    [Fact]
    public void OutOfRangeFieldInTheMainStreamFailsNamingTheField()
    {
        var (mlContext, _, _, zip) = SaveScale();
        byte[] pattern = [8, 0, 0, 0, .. Encoding.UTF8.GetBytes("Features")]; // inputColumn; "size" follows
        byte[] corrupt = RewriteEntry(zip, ChainDir + "Model.key", old =>
        {
            int at = old.AsSpan().IndexOf(pattern);
            Assert.True(at > 0);
            BitConverter.GetBytes(0).CopyTo(old, at + pattern.Length);
            return old;
        });

        var ex = LoadFails(mlContext, corrupt);

        Assert.Equal("Corrupt model: component 'LstmTestScaleTransform', field 'size': value 0 is outside [1, 1048576].", ex.Message);
    }

    [Fact]
    public void BothAssembliesDeclareIgnoresAccessChecksToForCoreAndData()
    {
        foreach (var assembly in new[] { typeof(ModelFormat).Assembly, typeof(ModelSaveLoadTests).Assembly })
        {
            var names = assembly.GetCustomAttributesData()
                .Where(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute")
                .Select(a => (string)a.ConstructorArguments[0].Value!)
                .Order()
                .ToArray();
            Assert.Equal(new[] { "Microsoft.ML.Core", "Microsoft.ML.Data" }, names);
        }
    }

    [Fact]
    public void RuntimeUsesTheRealPackageAssembliesNotThePublicizedCopies()
    {
        // The publicized copies are compile-time only: at run time ModelLoadContext is still internal.
        var modelLoadContext = typeof(ModelSaveContext).Assembly.GetType("Microsoft.ML.ModelLoadContext", throwOnError: true)!;
        Assert.False(modelLoadContext.IsPublic);
        Assert.DoesNotContain("mlnet-publicized", typeof(ModelSaveContext).Assembly.Location);
    }
}
