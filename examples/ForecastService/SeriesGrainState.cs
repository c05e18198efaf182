namespace Microsoft.ML.Lstm.Examples.ForecastService;

/// <summary>
/// What a series grain keeps in grain storage: the engine state bytes (<c>LstmForecastingEngine.SaveState</c>, a few KB, not the
/// model) and the number of the last observation they include. Written together, so the two never disagree.
/// </summary>
[GenerateSerializer]
public sealed class SeriesGrainState
{
    /// <summary>The engine state after observation <see cref="SequenceNumber"/>; null before the first.</summary>
    [Id(0)]
    public byte[]? Engine { get; set; }

    /// <summary>The number of the last observation applied (0 before the first).</summary>
    [Id(1)]
    public long SequenceNumber { get; set; }
}
