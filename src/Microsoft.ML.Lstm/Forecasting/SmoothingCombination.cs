namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Combines the LSTM ensemble with the <see cref="SmoothingBaseline"/> forecast: with weight w, the point forecast
/// becomes (1 − w)·median + w·smoothing, and every predicted quantile moves by the same amount, w·(smoothing − median),
/// so the intervals keep the ensemble's shape around the combined forecast. All of it happens on the network's target
/// scale r (units of the transform's scale s), where series of any level compare. When the weight is left open it is
/// chosen on the holdout: the baseline is fitted on the values before each held-out block and run through it with those
/// parameters (the LSTM also sees every input up to its origin), and the candidate with the smallest absolute error over
/// all held-out (origin, horizon) pairs of all series wins, 0.5 on a tie. The candidates stay away from 0 and 1: one
/// holdout is too short to trust a single model (the lesson of the M4 competition: combinations are the safe choice).
/// </summary>
internal static class SmoothingCombination
{
    /// <summary>The weights tried on the holdout, nearest to 0.5 first (so a tie keeps 0.5).</summary>
    public static readonly double[] Candidates = [0.5, 0.25, 0.75];

    /// <summary>The weight when there is no holdout to choose it on.</summary>
    public const double Default = 0.5;

    /// <summary>
    /// The baseline's forecasts as network targets r for the rows of <paramref name="data"/> that have a target in
    /// <paramref name="block"/> ([rows × H], NaN elsewhere), from a baseline fitted on the values before the block.
    /// </summary>
    /// <param name="data">The series' dataset.</param>
    /// <param name="x">The series in model space.</param>
    /// <param name="block">The held-out block.</param>
    /// <param name="periods">The seasonal periods (below 2: none).</param>
    public static double[] HoldoutForecasts(ForecastDataset data, double[] x, TargetBlock block, IReadOnlyList<int> periods)
    {
        int H = data.Horizon, lag = data.Transform.Lag;
        var result = new double[data.Rows * H];
        result.AsSpan().Fill(double.NaN);
        if (block.IsEmpty) return result;
        var baseline = SmoothingBaseline.Fit(x.AsSpan(0, Math.Max(2, block.Start)), periods, lag);
        var state = baseline.Start(x);
        var forecasts = new double[H];
        for (int t = 0; t < x.Length; t++)
        {
            baseline.Update(state, t, x[t]);
            int row = t - lag;
            if (row < 0 || data.TargetTime(row, H) < block.Start || data.TargetTime(row, 1) >= block.End) continue;
            baseline.Forecast(state, t + 1, forecasts);
            for (int h = 1; h <= H; h++)
            {
                int time = data.TargetTime(row, h);
                if (time < data.Length && block.Contains(time))
                    result[row * H + h - 1] = data.Transform.Target(forecasts[h - 1], x[t + data.Transform.BaselineOffset(h)], h);
            }
        }
        return result;
    }

    /// <summary>
    /// The candidate weight with the smallest absolute error of the combined forecast over the pairs where both
    /// <paramref name="medians"/> and <paramref name="smoothing"/> and the <paramref name="targets"/> are known (all
    /// [pairs]); <see cref="Default"/> when there are none. Also returns the mean errors of the LSTM, the smoothing and
    /// the chosen combination, for the log.
    /// </summary>
    public static (double Weight, double LstmError, double SmoothingError, double CombinedError) Choose(
        ReadOnlySpan<double> medians, ReadOnlySpan<double> smoothing, ReadOnlySpan<float> targets)
    {
        var errors = new double[Candidates.Length];
        double lstm = 0, alone = 0;
        int n = 0;
        for (int i = 0; i < medians.Length; i++)
        {
            if (!double.IsFinite(smoothing[i]) || !float.IsFinite(targets[i])) continue;
            n++;
            lstm += Math.Abs(medians[i] - targets[i]);
            alone += Math.Abs(smoothing[i] - targets[i]);
            for (int c = 0; c < Candidates.Length; c++)
                errors[c] += Math.Abs(Combine(medians[i], smoothing[i], Candidates[c]) - targets[i]);
        }
        if (n == 0) return (Default, double.NaN, double.NaN, double.NaN);
        int best = 0;
        for (int c = 1; c < Candidates.Length; c++) if (errors[c] < errors[best]) best = c;
        return (Candidates[best], lstm / n, alone / n, errors[best] / n);
    }

    /// <summary>(1 − w)·median + w·smoothing.</summary>
    public static double Combine(double median, double smoothing, double weight) => median + weight * (smoothing - median);

    /// <summary>Moves the Q quantiles of one (origin, horizon) by w·(smoothing − median).</summary>
    public static void Shift(Span<double> quantiles, int median, double smoothing, double weight)
    {
        if (weight == 0 || !double.IsFinite(smoothing)) return;
        double delta = weight * (smoothing - quantiles[median]);
        for (int q = 0; q < quantiles.Length; q++) quantiles[q] += delta;
    }
}
