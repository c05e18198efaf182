namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// The interval calibration of a model: per confidence level and horizon a lower offset δ⁻ ≥ 0 and an
/// upper offset δ⁺ ≥ 0, in units of the transform's scale s, that widen the predicted quantiles lo, hi of
/// r to [lo − δ⁻, hi + δ⁺]. Fitted by conformalized quantile regression (<see cref="ConformalCalibration"/>);
/// with <see cref="CalibrationTails.Joint"/> (and in models saved with one offset per level and horizon) δ⁻ = δ⁺. With
/// <see cref="WidthsNeverNarrow"/> (every model trained since LSTMFCST format version 5) the engine also keeps each bound
/// at least as far from the median as at the step before.
/// </summary>
internal sealed class IntervalCalibration
{
    /// <summary>Neighbouring horizons pooled on each side when fitting (see <see cref="ConformalCalibration"/>).</summary>
    public const int PoolRadius = 2;

    /// <summary>The horizons (0-based, inclusive) pooled for horizon h of H: h ± <see cref="PoolRadius"/> within 0 … H − 1.</summary>
    public static (int First, int Last) Pooled(int h, int horizon) =>
        (Math.Max(0, h - PoolRadius), Math.Min(horizon - 1, h + PoolRadius));

    private readonly double[] _lower, _upper;

    /// <summary>Creates a calibration that widens both ends of every interval by the same offsets.</summary>
    /// <param name="horizon">H.</param>
    /// <param name="offsets">[confidence levels × H] offsets δ, row-major, in units of s.</param>
    /// <exception cref="ArgumentException">The offsets are negative or not finite, or H does not divide their count.</exception>
    public IntervalCalibration(int horizon, double[] offsets)
        : this(horizon, offsets, offsets)
    {
    }

    /// <summary>Creates a calibration with separate offsets for the lower and the upper ends.</summary>
    /// <param name="horizon">H.</param>
    /// <param name="lowerOffsets">[confidence levels × H] offsets δ⁻, row-major, in units of s.</param>
    /// <param name="upperOffsets">[confidence levels × H] offsets δ⁺, row-major, in units of s.</param>
    /// <param name="widthsNeverNarrow"><see cref="WidthsNeverNarrow"/>: false only for models saved without it.</param>
    /// <exception cref="ArgumentException">An offset is negative or not finite,
    /// the two differ in length, or H does not divide their count.</exception>
    public IntervalCalibration(int horizon, double[] lowerOffsets, double[] upperOffsets, bool widthsNeverNarrow = true)
    {
        ArgumentNullException.ThrowIfNull(lowerOffsets);
        ArgumentNullException.ThrowIfNull(upperOffsets);
        if (horizon <= 0 || lowerOffsets.Length % horizon != 0)
            throw new ArgumentException($"{lowerOffsets.Length} offsets do not form rows of horizon {horizon}.", nameof(lowerOffsets));
        if (upperOffsets.Length != lowerOffsets.Length)
            throw new ArgumentException($"{lowerOffsets.Length} lower but {upperOffsets.Length} upper offsets.", nameof(upperOffsets));
        foreach (double d in lowerOffsets.Concat(upperOffsets))
            if (!(d >= 0 && double.IsFinite(d)))
                throw new ArgumentException("Calibration offsets must be finite and ≥ 0.", nameof(lowerOffsets));
        Horizon = horizon;
        _lower = (double[])lowerOffsets.Clone();
        _upper = (double[])upperOffsets.Clone();
        Symmetric = _lower.AsSpan().SequenceEqual(_upper);
        WidthsNeverNarrow = widthsNeverNarrow;
    }

    /// <summary>
    /// Whether each bound's distance from the median (in r units) is carried forward over the horizon as a running maximum,
    /// so that no interval is narrower than the one before it: the error of a later step includes the earlier ones' for
    /// any linear model, and a short holdout's per-horizon quantiles and offsets dip by chance (the short panel's 95%
    /// intervals covered 69% of the horizon with the dips, 75% without, interval score 16.3 → 14.3; the 43-series panel's
    /// 91% → 92%, 10.4 → 10.0; benchmarks/ForecastAccuracy). False for models saved before it, which forecast as saved.
    /// </summary>
    public bool WidthsNeverNarrow { get; }

    /// <summary>H.</summary>
    public int Horizon { get; }

    /// <summary>Whether both ends move by the same offsets.</summary>
    public bool Symmetric { get; }

    /// <summary>
    /// The offsets as stored: [confidence levels × H] when <see cref="Symmetric"/>, else the lower offsets
    /// followed by the upper ones, [2 × confidence levels × H] (all 0 when uncalibrated).
    /// </summary>
    public IReadOnlyList<double> Offsets => Symmetric ? _lower : [.. _lower, .. _upper];

    /// <summary>δ⁻ for confidence level index <paramref name="level"/> at horizon h (0-based).</summary>
    public double LowerOffset(int level, int h) => _lower[level * Horizon + h];

    /// <summary>δ⁺ for confidence level index <paramref name="level"/> at horizon h (0-based).</summary>
    public double UpperOffset(int level, int h) => _upper[level * Horizon + h];

    /// <summary>
    /// Rebuilds a calibration from <see cref="Offsets"/> of a model with <paramref name="levels"/> confidence
    /// levels: levels × H values (symmetric) or 2 × levels × H (lower, then upper).
    /// </summary>
    /// <exception cref="ArgumentException">The count is neither, or an offset is negative or not finite.</exception>
    internal static IntervalCalibration FromOffsets(int horizon, int levels, double[] offsets, string paramName,
        bool widthsNeverNarrow = true)
    {
        ArgumentNullException.ThrowIfNull(offsets, paramName);
        int n = levels * horizon;
        if (offsets.Length == n) return new IntervalCalibration(horizon, offsets, offsets, widthsNeverNarrow);
        if (offsets.Length == 2 * n) return new IntervalCalibration(horizon, offsets[..n], offsets[n..], widthsNeverNarrow);
        throw new ArgumentException(
            $"{paramName} must hold confidence levels × horizon = {n} values (one offset for both ends) or {2 * n} (lower offsets, then " +
            $"upper); it holds {offsets.Length}.",
            paramName);
    }

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
            bounds[c] = (sorted[layout.Lower[c]] - LowerOffset(c, h), sorted[layout.Upper[c]] + UpperOffset(c, h));
        foreach (int c in Enumerable.Range(0, bounds.Length).OrderBy(c => layout.ConfidenceLevels[c]))
            foreach (int narrower in Enumerable.Range(0, bounds.Length).Where(k => layout.ConfidenceLevels[k] < layout.ConfidenceLevels[c]))
                bounds[c] = (Math.Min(bounds[c].Lower, bounds[narrower].Lower), Math.Max(bounds[c].Upper, bounds[narrower].Upper));
        return bounds;
    }
}
