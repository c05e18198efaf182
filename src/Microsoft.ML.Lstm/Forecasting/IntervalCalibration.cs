namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// The interval calibration of a model: per confidence level and horizon an offset δ ≥ 0, in units of
/// the transform's scale s, that widens the predicted quantiles lo, hi of r to [lo − δ, hi + δ]. Fitted
/// by conformalized quantile regression (<see cref="ConformalCalibration"/>).
/// </summary>
public sealed class IntervalCalibration
{
    /// <summary>Neighbouring horizons pooled on each side when fitting (see <see cref="ConformalCalibration"/>).</summary>
    public const int PoolRadius = 2;

    /// <summary>Creates a calibration from stored offsets.</summary>
    /// <param name="horizon">H.</param>
    /// <param name="offsets">[confidence levels × H] offsets δ, row-major, in units of s.</param>
    /// <exception cref="ArgumentException">The offsets are negative or not finite, or H does not divide their count.</exception>
    public IntervalCalibration(int horizon, double[] offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        if (horizon <= 0 || offsets.Length % horizon != 0) throw new ArgumentException($"{offsets.Length} offsets do not form rows of horizon {horizon}.", nameof(offsets));
        foreach (double d in offsets) if (!(d >= 0 && double.IsFinite(d))) throw new ArgumentException("Calibration offsets must be finite and ≥ 0.", nameof(offsets));
        Horizon = horizon;
        Offsets = (double[])offsets.Clone();
    }

    /// <summary>H.</summary>
    public int Horizon { get; }

    /// <summary>[confidence levels × H] offsets δ, in units of s (all 0 when uncalibrated).</summary>
    public IReadOnlyList<double> Offsets { get; }

    /// <summary>δ for confidence level index <paramref name="level"/> at horizon h (0-based).</summary>
    public double Offset(int level, int h) => Offsets[level * Horizon + h];

    /// <summary>No adjustment.</summary>
    internal static IntervalCalibration None(int levels, int horizon) => new(horizon, new double[levels * horizon]);

    /// <summary>
    /// The calibrated bounds (in r units) at horizon h (0-based) of every confidence level, from the sorted
    /// values [Q]; nested, so a higher confidence never gives a narrower interval.
    /// </summary>
    internal (double Lower, double Upper)[] Bounds(QuantileLayout layout, ReadOnlySpan<double> sorted, int h)
    {
        var bounds = new (double Lower, double Upper)[layout.ConfidenceLevels.Length];
        for (int c = 0; c < bounds.Length; c++)
            bounds[c] = (sorted[layout.Lower[c]] - Offset(c, h), sorted[layout.Upper[c]] + Offset(c, h));
        foreach (int c in Enumerable.Range(0, bounds.Length).OrderBy(c => layout.ConfidenceLevels[c]))
            foreach (int narrower in Enumerable.Range(0, bounds.Length).Where(k => layout.ConfidenceLevels[k] < layout.ConfidenceLevels[c]))
                bounds[c] = (Math.Min(bounds[c].Lower, bounds[narrower].Lower), Math.Max(bounds[c].Upper, bounds[narrower].Upper));
        return bounds;
    }
}
