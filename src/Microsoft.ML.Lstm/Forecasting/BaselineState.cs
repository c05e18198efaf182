namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Where a <see cref="SmoothingBaseline"/> stands after some values: the smoothing's level and trend and the last
/// <see cref="Autoregression.Memory"/> seasonally adjusted values (oldest first). Updated in place, O(1) per value.
/// </summary>
internal sealed class BaselineState(DampedTrend smoothing, double[] recent)
{
    /// <summary>The damped-trend smoothing with its level and trend.</summary>
    public DampedTrend Smoothing = smoothing;

    /// <summary>The last adjusted values, oldest first.</summary>
    public double[] Recent { get; } = recent;

    /// <summary>As stored in an engine state: level, trend, then the recent values.</summary>
    public double[] ToArray() => [Smoothing.Level, Smoothing.Trend, .. Recent];
}
