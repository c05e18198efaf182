namespace Microsoft.ML.Lstm.Examples.ForecastService;

/// <summary>
/// One time series, keyed by its id: owns the streaming forecasting engine of that series. Calls to one grain run one at a
/// time (Orleans grains are not reentrant), so observations are applied in the order they arrive.
/// </summary>
public interface ISeriesGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes in the observation numbered <paramref name="sequenceNumber"/> (1, 2, 3, ... per series) and returns once the
    /// advanced state is in grain storage. A number already applied is acknowledged again without being applied (a retried call
    /// counts once): the result is false then.
    /// </summary>
    /// <exception cref="ArgumentException">The value is not finite, or the number skips ahead of the next expected one.</exception>
    Task<bool> Observe(float value, long sequenceNumber);

    /// <summary>The forecast of the next <paramref name="horizon"/> steps (1 … the trained horizon) from the current state.</summary>
    Task<SeriesForecastResult> Forecast(int horizon);

    /// <summary>The number of the last observation applied (0 before the first).</summary>
    Task<long> LastSequenceNumber();
}

/// <summary>A forecast and its bounds, as of observation <see cref="SequenceNumber"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record SeriesForecastResult(
    [property: Id(0)] long SequenceNumber,
    [property: Id(1)] float[] Forecast,
    [property: Id(2)] float[] Lower,
    [property: Id(3)] float[] Upper);
