using Microsoft.ML.Lstm.MLNet.Internals;

namespace Microsoft.ML.Lstm.Tests.MLNet;

public sealed class HostEnvironmentsTests
{
    [Fact]
    public void EveryCatalogYieldsTheContextsEnvironment()
    {
        var mlContext = new MLContext(seed: 1);
        object[] catalogs =
        [
            mlContext.Transforms, mlContext.Transforms.Conversion, mlContext.Data, mlContext.Model,
            mlContext.Regression, mlContext.Regression.Trainers,
            mlContext.BinaryClassification.Trainers, mlContext.MulticlassClassification.Trainers,
            mlContext.Forecasting, mlContext.Forecasting.Trainers,
        ];
        // Catalogs hold the environment MLContext wraps (MLContext forwards to it), one per context.
        var environment = HostEnvironments.FromCatalog(mlContext.Transforms);
        foreach (var catalog in catalogs)
            Assert.Same(environment, HostEnvironments.FromCatalog(catalog));
        Assert.NotSame(environment, HostEnvironments.FromCatalog(new MLContext(seed: 1).Transforms));
    }

    [Fact]
    public void NonCatalogsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => HostEnvironments.FromCatalog("not a catalog"));
        Assert.Throws<ArgumentNullException>(() => HostEnvironments.FromCatalog<object>(null!));
    }
}
