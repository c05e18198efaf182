namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Conformalized quantile regression (Romano, Patterson &amp; Candès 2019) per confidence level and
/// horizon: on the holdout, the score of a pair is E = max(lo − r, r − hi) for the predicted quantiles
/// lo, hi of r; the offset δ is the ⌈(n + 1)·c⌉-th smallest score among the holdout pairs of horizons
/// h − 2 … h + 2 (pooled because a short holdout has few pairs per horizon). Intervals become
/// [lo − δ, hi + δ]. Offsets only widen (δ ≥ 0): quantiles fitted in-sample under-cover out of sample,
/// and a negative δ from a short holdout mostly reflects a calm holdout period, not a too-wide interval.
/// Offsets are in units of the transform's scale s.
/// </summary>
public sealed class IntervalCalibration
{
    /// <summary>Neighbouring horizons pooled on each side.</summary>
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

    /// <summary>Fits the offsets from combined holdout values [rows × H·Q] and holdout targets (NaN = not in the holdout).</summary>
    internal static IntervalCalibration Fit(QuantileLayout layout, double[] values, float[] targets, int rows, int horizon)
    {
        int Q = layout.Count, L = layout.ConfidenceLevels.Length;
        var offsets = new double[L * horizon];
        for (int c = 0; c < L; c++)
        {
            var scores = new List<double>[horizon];
            for (int h = 0; h < horizon; h++) scores[h] = [];
            for (int i = 0; i < rows; i++)
                for (int h = 0; h < horizon; h++)
                {
                    int k = (i * horizon + h) * Q;
                    if (!float.IsFinite(targets[k])) continue;
                    scores[h].Add(Math.Max(values[k + layout.Lower[c]] - targets[k], targets[k] - values[k + layout.Upper[c]]));
                }
            for (int h = 0; h < horizon; h++)
            {
                var pooled = new List<double>();
                for (int g = Math.Max(0, h - PoolRadius); g <= Math.Min(horizon - 1, h + PoolRadius); g++) pooled.AddRange(scores[g]);
                if (pooled.Count == 0) continue;
                pooled.Sort();
                int rank = (int)Math.Ceiling((pooled.Count + 1) * layout.ConfidenceLevels[c]);
                offsets[c * horizon + h] = Math.Max(0, pooled[Math.Clamp(rank, 1, pooled.Count) - 1]);
            }
        }
        return new IntervalCalibration(horizon, offsets);
    }

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
