using System.IO.Compression;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>The entries of a model saved by <c>mlContext.Model.Save</c>, by name, for byte-level comparisons.</summary>
internal static class SavedEntries
{
    public static SortedDictionary<string, byte[]> Of(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        stream.Position = 0;
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        var entries = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var e in zip.Entries)
        {
            using var s = e.Open();
            using var copy = new MemoryStream();
            s.CopyTo(copy);
            entries.Add(e.FullName, copy.ToArray());
        }
        return entries;
    }

    /// <summary>
    /// The entries of a trained <paramref name="model"/> saved with the only fields that may differ between runs of one seed
    /// set to fixed values: the wall-clock figures of its training history (seconds and sequences per second of each epoch)
    /// and the thread count recorded in its options. Every other byte (weights, losses, learning rates, options) is as saved.
    /// </summary>
    public static SortedDictionary<string, byte[]> OfTrained(MLContext ml, LstmTransformer model, DataViewSchema schema)
    {
        var m = model.Model;
        var options = m.TrainedWith.Clone();
        options.NumberOfThreads = null;
        var history = m.TrainingHistory.Select(WithoutTimes).ToList();
        var fixedFields = new LstmModelParameters(m.Task, options, m.TokenKeyCount, m.Network, m.LabelKeyValues, history, m.Words);
        return Of(ml, new LstmTransformer(fixedFields), schema);
    }

    /// <summary>The entries of a trained forecaster, its wall-clock figures and thread count fixed as <see cref="OfTrained(MLContext,
    /// LstmTransformer, DataViewSchema)"/> fixes them.</summary>
    public static SortedDictionary<string, byte[]> OfTrained(MLContext ml, LstmForecastingTransformer model, DataViewSchema schema)
    {
        var options = model.TrainedWith.Clone();
        options.NumberOfThreads = null;
        var history = model.TrainingHistory.Select(IReadOnlyList<EpochProgress> (h) => [.. h.Select(WithoutTimes)]).ToArray();
        var fixedFields = new LstmForecastingTransformer(options, model.Model, [.. model.SeriesKeys], [.. model.States], history);
        return Of(ml, fixedFields, schema);
    }

    private static EpochProgress WithoutTimes(EpochProgress p) => p with { Seconds = 0, SequencesPerSecond = 0 };

    /// <summary>Asserts that <paramref name="b"/> has the entries of <paramref name="a"/>, byte for byte.</summary>
    public static void AssertIdentical(SortedDictionary<string, byte[]> a, SortedDictionary<string, byte[]> b, string what)
    {
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (name, bytes) in a)
            Assert.True(bytes.AsSpan().SequenceEqual(b[name]), $"{what}: entry {name} differs");
    }
}
