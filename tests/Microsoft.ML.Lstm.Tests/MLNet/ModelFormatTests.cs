using Microsoft.ML.Lstm.MLNet.Internals;

namespace Microsoft.ML.Lstm.Tests.MLNet;

public sealed class ModelFormatTests
{
    private static ModelFormat Make(string modelSignature = "ABCDEFGH", string loaderSignature = "SomeLoader",
        uint written = 0x00010002, uint readable = 0x00010001, uint readBack = 0x00010001) =>
        new(modelSignature, loaderSignature, typeof(ModelFormatTests), written, readable, readBack);

    [Fact]
    public void RecordsTheLoaderAssemblySimpleName()
    {
        Assert.Equal("Microsoft.ML.Lstm.Tests", Make().LoaderAssemblyName);
        Assert.Equal("Microsoft.ML.Lstm", new ModelFormat("ABCDEFGH", "X", typeof(ModelFormat), 1, 1, 1).LoaderAssemblyName);
    }

    [Theory]
    [InlineData("ABCDEFG")]
    [InlineData("ABCDEFGHI")]
    [InlineData("ABCDEFG\u00e9")]
    [InlineData("ABCD\tFGH")]
    public void ModelSignatureMustBeEightPrintableAsciiCharacters(string signature) =>
        Assert.Throws<ArgumentException>(() => Make(modelSignature: signature));

    [Theory]
    [InlineData("")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXY")] // 25 characters
    [InlineData(" Padded")]
    [InlineData("Caf\u00e9")]
    public void LoaderSignatureMustFitTheHeader(string signature) =>
        Assert.Throws<ArgumentException>(() => Make(loaderSignature: signature));

    [Fact]
    public void VersionsMustBeOrdered()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(written: 1, readable: 2, readBack: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(written: 1, readable: 1, readBack: 2));
        var format = Make(loaderSignature: "ABCDEFGHIJKLMNOPQRSTUVWX");
        Assert.Equal((0x00010002u, 0x00010001u, 0x00010001u), (format.VersionWritten, format.VersionReadable, format.VersionWeCanReadBack));
    }
}
