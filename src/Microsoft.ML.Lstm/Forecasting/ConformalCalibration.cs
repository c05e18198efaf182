namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Fits an <see cref="IntervalCalibration"/> by conformalized quantile regression (Romano, Patterson &amp;
/// Candès 2019) per confidence level c and horizon h, on out-of-sample (origin, horizon) pairs with
/// predicted quantiles lo, hi of their target r. With <see cref="CalibrationTails.Separate"/> (their
/// asymmetric variant) the lower offset is the ⌈(n + 1)·(1 + c)/2⌉-th smallest of the n scores lo − r and
/// the upper one that of r − hi; with <see cref="CalibrationTails.Joint"/> both are the ⌈(n + 1)·c⌉-th
/// smallest of max(lo − r, r − hi). The scores of horizons h − 2 … h + 2 are pooled, because a short holdout
/// has few pairs per horizon. Offsets only widen (δ ≥ 0): quantiles fitted in-sample under-cover out of
/// sample, and a negative δ from a short holdout mostly reflects a calm holdout period, not a too-wide
/// interval. The pairs come from one or more calibration folds (see
/// <see cref="LstmForecastingOptions.CalibrationFolds"/>, <see cref="FoldBlocks"/>): each fold's ensemble
/// is trained on every target outside one held-out block per series and scored on the targets inside it
/// (blocked cross-validation, which is valid for autoregressive models: Bergmeir, Hyndman &amp; Koo 2018).
/// </summary>
internal static class ConformalCalibration
{
    /// <summary>Fits the offsets from combined (ensemble) values [rows × H·Q] and targets (NaN = not a calibration pair).</summary>
    /// <param name="layout">Quantile layout.</param>
    /// <param name="values">Per row and horizon the Q combined quantiles, sorted.</param>
    /// <param name="targets">[rows × H·Q] targets r (each repeated Q times), NaN where the pair does not calibrate.</param>
    /// <param name="rows">Rows (all folds' rows concatenated).</param>
    /// <param name="horizon">H.</param>
    /// <param name="tails">Whether the two ends get their own offsets.</param>
    public static IntervalCalibration Fit(QuantileLayout layout, double[] values,
        float[] targets, int rows, int horizon, CalibrationTails tails)
    {
        int Q = layout.Count, L = layout.ConfidenceLevels.Length;
        var lower = new double[L * horizon];
        var upper = new double[L * horizon];
        for (int c = 0; c < L; c++)
        {
            double level = layout.ConfidenceLevels[c];
            var pairs = new Pairs(values, targets, rows, horizon, Q, layout.Lower[c], layout.Upper[c]);
            if (tails == CalibrationTails.Joint)
            {
                var both = pairs.Offsets((lo, r, hi) => Math.Max(lo - r, r - hi), level);
                both.CopyTo(lower, c * horizon);
                both.CopyTo(upper, c * horizon);
                continue;
            }
            double tail = (1 + level) / 2;
            pairs.Offsets((lo, r, _) => lo - r, tail).CopyTo(lower, c * horizon);
            pairs.Offsets((_, r, hi) => r - hi, tail).CopyTo(upper, c * horizon);
        }
        return new IntervalCalibration(horizon, lower, upper);
    }

    /// <summary>
    /// The calibration pairs of one confidence level: values [rows × H·Q] with the lower / upper quantile at columns a / b.
    /// </summary>
    private readonly record struct Pairs(double[] Values, float[] Targets, int Rows, int Horizon, int Q, int A, int B)
    {
        /// <summary>
        /// Per horizon, max(0, the ⌈(n + 1)·level⌉-th smallest score(lo, r, hi)) over the n pairs of horizons h ±
        /// <see cref="IntervalCalibration.PoolRadius"/>.
        /// </summary>
        public double[] Offsets(Func<double, double, double, double> score, double level)
        {
            var scores = new List<double>[Horizon];
            for (int h = 0; h < Horizon; h++) scores[h] = [];
            for (int i = 0; i < Rows; i++)
                for (int h = 0; h < Horizon; h++)
                {
                    int k = (i * Horizon + h) * Q;
                    if (float.IsFinite(Targets[k])) scores[h].Add(score(Values[k + A], Targets[k], Values[k + B]));
                }
            var result = new double[Horizon];
            for (int h = 0; h < Horizon; h++)
            {
                var pooled = new List<double>();
                var (first, last) = IntervalCalibration.Pooled(h, Horizon);
                for (int g = first; g <= last; g++) pooled.AddRange(scores[g]);
                if (pooled.Count == 0) continue;
                pooled.Sort();
                result[h] = Math.Max(0, Rank(pooled, level));
            }
            return result;
        }
    }

    /// <summary>
    /// The conformal rank: the ⌈(n + 1)·<paramref name="level"/>⌉-th smallest of n sorted values (clamped to the first and the
    /// last).
    /// </summary>
    internal static double Rank(List<double> sorted, double level) =>
        sorted[Math.Clamp((int)Math.Ceiling((sorted.Count + 1) * level), 1, sorted.Count) - 1];

    /// <summary>
    /// The held-out blocks of the calibration folds: fold 0 is the main holdout at the end of each series
    /// (<paramref name="holdouts"/>); fold f holds out the block of the same length f lengths earlier, so the
    /// folds tile the series backwards without overlapping. Each fold's networks train on every target
    /// outside its block (before and after it), as much data as the forecasting networks have, so their
    /// out-of-sample errors stand for those of the forecasting networks in other periods. Folds are added up
    /// to <see cref="LstmForecastingOptions.CalibrationFolds"/> while every series' block starts at least
    /// ℓ + H steps in (ℓ = the baseline lag), so that every horizon has pairs to score.
    /// </summary>
    /// <param name="data">The series' datasets.</param>
    /// <param name="holdouts">Per series, the main holdout block [N − holdout, N) (not empty).</param>
    /// <param name="folds">F, the folds asked for.</param>
    public static List<TargetBlock[]> FoldBlocks(IReadOnlyList<ForecastDataset> data, TargetBlock[] holdouts, int folds)
    {
        var result = new List<TargetBlock[]> { holdouts };
        for (int f = 1; f < folds; f++)
        {
            var fold = new TargetBlock[data.Count];
            bool scorable = true;
            for (int j = 0; j < data.Count; j++)
            {
                int shift = f * (holdouts[j].End - holdouts[j].Start);
                fold[j] = new TargetBlock(holdouts[j].Start - shift, holdouts[j].End - shift);
                scorable &= !holdouts[j].IsEmpty && fold[j].Start >= data[j].Transform.Lag + data[j].Horizon;
            }
            if (!scorable) break;
            result.Add(fold);
        }
        return result;
    }
}
