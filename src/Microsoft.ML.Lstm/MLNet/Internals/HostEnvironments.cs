using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// The <see cref="IHostEnvironment"/> behind an <see cref="MLContext"/> or one of its catalogs, for
/// the library's catalog extension methods (ML.NET's own <c>CatalogUtils.GetEnvironment</c> is internal).
/// </summary>
internal static class HostEnvironments
{
    /// <summary>
    /// The environment of any ML.NET catalog or sub-catalog: <c>mlContext.Transforms</c>,
    /// <c>mlContext.Regression.Trainers</c>, <c>mlContext.Forecasting</c>, <c>mlContext.Data</c>, ...
    /// </summary>
    /// <exception cref="ArgumentException">The object is not an ML.NET catalog.</exception>
    public static IHostEnvironment FromCatalog<TCatalog>(TCatalog catalog) where TCatalog : class
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (catalog is IInternalCatalog internalCatalog)
            return internalCatalog.Environment;
        throw new ArgumentException($"{catalog.GetType().FullName} is not an ML.NET catalog: it carries no environment.", nameof(catalog));
    }
}
