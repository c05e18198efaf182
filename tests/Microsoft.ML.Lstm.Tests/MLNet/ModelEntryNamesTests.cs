using Microsoft.ML.Lstm.MLNet.Internals;

namespace Microsoft.ML.Lstm.Tests.MLNet;

public sealed class ModelEntryNamesTests
{
    [Theory]
    [InlineData("weights.bin")]
    [InlineData("layer_0-fwd.bin")]
    public void SimpleNamesAreAccepted(string name) => ModelEntryNames.Check(name);

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("../weights.bin")]
    [InlineData("dir/weights.bin")]
    [InlineData("dir\\weights.bin")]
    [InlineData("wéights.bin")]
    [InlineData("weights bin")]
    public void PathsAndOddCharactersAreRejected(string name) =>
        Assert.ThrowsAny<ArgumentException>(() => ModelEntryNames.Check(name));

    [Fact]
    public void LongNamesAreRejected() =>
        Assert.Throws<ArgumentException>(() => ModelEntryNames.Check(new string('a', ModelEntryNames.MaxLength + 1)));
}
