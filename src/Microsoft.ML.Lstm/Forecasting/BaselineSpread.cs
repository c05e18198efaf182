namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// The interval calibration of a model whose series are too short to hold anything out: no out-of-sample pair tells how
/// far the networks' quantiles under-cover, and networks trained on a few dozen rows fit them closely (on three years of
/// monthly or four of quarterly values their raw 95% intervals covered 44% of the horizon, benchmarks/ForecastAccuracy
/// --short-panel). Each interval is widened, below and above the median,
/// to at least the spread of the baseline's own errors in the training rows: the network targets r (the error of the
/// seasonal naive or naive forecast the networks start from, in units of scale) at horizons h ± <see
/// cref="IntervalCalibration.PoolRadius"/>, their ⌈(n + 1)·(1 − c)/2⌉-th and ⌈(n + 1)·(1 + c)/2⌉-th smallest measured
/// from their median. A model on so little data is taken to know no more than where the baseline's errors centre.
/// Offsets are measured against the combined quantiles at the last row of each series (the forecast origin), averaged
/// over the series, and only widen.
/// </summary>
internal static class BaselineSpread
{
    /// <summary>The calibration; <paramref name="members"/> are the trained networks.</summary>
    public static IntervalCalibration Fit(QuantileLayout layout, IReadOnlyList<ForecastNetwork> members,
        IReadOnlyList<ForecastDataset> data)
    {
        int H = data[0].Horizon, Q = layout.Count, L = layout.ConfidenceLevels.Length;
        var lower = new double[L * H];
        var upper = new double[L * H];
        var lowerGap = new double[L * H];
        var upperGap = new double[L * H];
        var last = new double[H * Q];
        foreach (var series in data)
        {
            var outputs = members.Select(m => m.RunSeries(m.Net.CreateWorkspace(), series.Inputs, series.Rows, series.Regressors))
                .ToArray();
            layout.Combine(outputs, (series.Rows - 1) * H * Q, H, last);
            for (int c = 0; c < L; c++)
                for (int h = 0; h < H; h++)
                {
                    double median = last[h * Q + layout.Median];
                    lowerGap[c * H + h] += (median - last[h * Q + layout.Lower[c]]) / data.Count;
                    upperGap[c * H + h] += (last[h * Q + layout.Upper[c]] - median) / data.Count;
                }
        }
        for (int h = 0; h < H; h++)
        {
            var errors = PooledTargets(data, h);
            if (errors.Count < 2) continue;
            errors.Sort();
            double median = ConformalCalibration.Rank(errors, 0.5);
            for (int c = 0; c < L; c++)
            {
                double level = layout.ConfidenceLevels[c];
                lower[c * H + h] = Math.Max(0, median - ConformalCalibration.Rank(errors, (1 - level) / 2) - lowerGap[c * H + h]);
                upper[c * H + h] = Math.Max(0, ConformalCalibration.Rank(errors, (1 + level) / 2) - median - upperGap[c * H + h]);
            }
        }
        return new IntervalCalibration(H, lower, upper);
    }

    /// <summary>Every series' finite targets r at horizons h ± the pool radius (0-based h).</summary>
    private static List<double> PooledTargets(IReadOnlyList<ForecastDataset> data, int h)
    {
        var pooled = new List<double>();
        foreach (var series in data)
        {
            int H = series.Horizon;
            var (first, last) = IntervalCalibration.Pooled(h, H);
            for (int g = first; g <= last; g++)
                for (int i = 0; i < series.Rows; i++)
                    if (float.IsFinite(series.Targets[i * H + g])) pooled.Add(series.Targets[i * H + g]);
        }
        return pooled;
    }
}
