using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.Forecasting;

/// <summary>Conformal interval calibration: the rank rule, horizon pooling, and calibration folds.</summary>
public class CalibrationTests
{
    private static QuantileLayout Layout(double level) => new(new ForecasterSettings { ConfidenceLevels = [level] });

    /// <summary>
    /// Rows of predicted quantiles (lo, median, hi) = (−1, 0, 1) at every horizon, with the given targets at horizon 0 and NaN elsewhere.
    /// </summary>
    private static (double[] Values, float[] Targets) Rows(int horizon, params float[] targets)
    {
        int Q = 3, rows = targets.Length;
        var values = new double[rows * horizon * Q];
        var t = new float[values.Length];
        t.AsSpan().Fill(float.NaN);
        for (int i = 0; i < rows; i++)
        {
            for (int h = 0; h < horizon; h++) new double[] { -1, 0, 1 }.CopyTo(values, (i * horizon + h) * Q);
            t.AsSpan(i * horizon * Q, Q).Fill(targets[i]);
        }
        return (values, t);
    }

    [Fact]
    public void JointOffset_IsTheConformalRankOfTheScores_AndNeverNarrows()
    {
        var layout = Layout(0.8);
        // Scores max(lo − r, r − hi) = |r| − 1: 0.1 … 0.9, on both sides; rank ⌈(9 + 1)·0.8⌉ = 8 → 0.8.
        var (values, targets) = Rows(1, 1.1f, -1.2f, 1.3f, -1.4f, 1.5f, -1.6f, 1.7f, -1.8f, 1.9f);
        var joint = ConformalCalibration.Fit(layout, values, targets, 9, 1, CalibrationTails.Joint);
        Assert.Equal(0.8, joint.LowerOffset(0, 0), 5);
        Assert.Equal(0.8, joint.UpperOffset(0, 0), 5);
        Assert.True(joint.Symmetric);
        // All targets well inside: the scores are negative, the offset stays 0.
        (values, targets) = Rows(1, 0f, 0.1f, -0.1f, 0.2f, -0.2f);
        Assert.Equal(0.0, ConformalCalibration.Fit(layout, values, targets, 5, 1, CalibrationTails.Joint).LowerOffset(0, 0));
    }

    [Fact]
    public void SeparateOffsets_AreEachTailsConformalRank_SoOneSidedMissesWidenOnlyThatSide()
    {
        var layout = Layout(0.8);
        // Nineteen targets above the interval by 0.1 … 1.9 (scores r − hi), one inside: the upper offset is the
        // ⌈(20 + 1)·0.9⌉ = 19th smallest of r − hi = 1.8; below, every lo − r is negative: the lower one stays 0.
        var above = Enumerable.Range(1, 19).Select(i => 1 + i / 10f).Append(0f).ToArray();
        var (values, targets) = Rows(1, above);
        var separate = ConformalCalibration.Fit(layout, values, targets, above.Length, 1, CalibrationTails.Separate);
        Assert.Equal(0.0, separate.LowerOffset(0, 0));
        Assert.Equal(1.8, separate.UpperOffset(0, 0), 5);
        Assert.False(separate.Symmetric);
        Assert.Equal(2, separate.Offsets.Count);   // lower, then upper
        // The joint offset widens both ends by the ⌈21·0.8⌉ = 17th smallest score, 1.6.
        var joint = ConformalCalibration.Fit(layout, values, targets, above.Length, 1, CalibrationTails.Joint);
        Assert.Equal(1.6, joint.LowerOffset(0, 0), 5);
        Assert.Equal(1.6, joint.UpperOffset(0, 0), 5);
        // Misses split evenly between the sides: each side gets the same offset.
        var mirrored = above.Select((r, i) => i % 2 == 0 ? r : -r).ToArray();
        (values, targets) = Rows(1, mirrored);
        var even = ConformalCalibration.Fit(layout, values, targets, mirrored.Length, 1, CalibrationTails.Separate);
        Assert.True(even.LowerOffset(0, 0) > 0 && even.UpperOffset(0, 0) > 0);
    }

    [Fact]
    public void Offsets_RoundTripThroughTheirStoredForm_AndOtherCountsAreRejected()
    {
        var separate = new IntervalCalibration(2, [0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]);
        var back = IntervalCalibration.FromOffsets(2, 2, [.. separate.Offsets], "offsets");
        Assert.Equal([0.5, 0.6, 0.7, 0.8], Enumerable.Range(0, 4).Select(k => back.UpperOffset(k / 2, k % 2)));
        Assert.Equal([0.1, 0.2, 0.3, 0.4], Enumerable.Range(0, 4).Select(k => back.LowerOffset(k / 2, k % 2)));
        var joint = IntervalCalibration.FromOffsets(2, 2, [0.1, 0.2, 0.3, 0.4], "offsets");
        Assert.True(joint.Symmetric);
        Assert.Equal(0.4, joint.UpperOffset(1, 1));
        var ex = Assert.Throws<ArgumentException>(() => IntervalCalibration.FromOffsets(2, 2, [0.1, 0.2, 0.3], "offsets"));
        Assert.Contains("4 values", ex.Message);
        Assert.Throws<ArgumentException>(() => new IntervalCalibration(2, [0.1, 0.2], [0.1, -0.2]));
    }

    [Fact]
    public void Scores_PoolOverNeighbouringHorizons_AndIgnoreMissingTargets()
    {
        const int H = 6;
        var layout = Layout(0.8);
        // Targets only at horizon 0 (scores 1 … 9 from |r| = 2 … 10); an extra row has no target at all.
        var (values, targets) = Rows(H, 2, 3, 4, 5, 6, 7, 8, 9, 10, float.NaN);
        var calibration = ConformalCalibration.Fit(layout, values, targets, 10, H, CalibrationTails.Joint);
        for (int h = 0; h <= IntervalCalibration.PoolRadius; h++) Assert.Equal(8.0, calibration.UpperOffset(0, h), 5);
        for (int h = IntervalCalibration.PoolRadius + 1; h < H; h++) Assert.Equal(0.0, calibration.UpperOffset(0, h));
    }

    [Fact]
    public void FoldBlocks_TileBackwards_WhileEveryHorizonCanBeScored()
    {
        var options = ForecastTestData.FastOptions(horizon: 6);
        var y = ForecastTestData.Seasonal(120, 3);
        var transform = SeriesTransform.Fit(y, [], options);
        Assert.Equal(12, transform.Lag);
        var data = new ForecastDataset(transform, y, [], 6);
        var folds = ConformalCalibration.FoldBlocks([data], [new TargetBlock(96, 120)], 10);
        // [96, 120), [72, 96), [48, 72), [24, 48): each starts ≥ ℓ + H = 18; [0, 24) would not.
        Assert.Equal([(96, 120), (72, 96), (48, 72), (24, 48)], folds.Select(f => (f[0].Start, f[0].End)));
        Assert.Single(ConformalCalibration.FoldBlocks([data], [new TargetBlock(96, 120)], 1));
        // Without a holdout there is nothing to tile.
        Assert.Single(ConformalCalibration.FoldBlocks([data], [TargetBlock.None(120)], 3));
    }

    [Fact]
    public void InteriorBlock_MasksExactlyItsTargets_InTrainingAndInTheHoldout()
    {
        const int H = 6, Q = 3;
        var y = ForecastTestData.Seasonal(120, 4);
        var data = new ForecastDataset(SeriesTransform.Fit(y, [], ForecastTestData.FastOptions(H)), y, [], H);
        var block = new TargetBlock(60, 80);
        int rows = block.TrainableRows(data);
        Assert.Equal(data.RowsBefore(120), rows);   // targets after the block train too
        var (_, targets, _) = TrainingWindows.Build([data], [new TrainingWindow(0, 0, 0, rows)], [block], Q);
        var holdout = ForecastTrainer.HoldoutTargets([data], [block], Q);
        int inside = 0;
        for (int i = 0; i < rows; i++)
            for (int h = 1; h <= H; h++)
            {
                int time = data.TargetTime(i, h), k = (i * H + h - 1) * Q;
                bool held = time is >= 60 and < 80;
                float expected = data.Targets[i * H + h - 1];
                Assert.Equal(held || time >= y.Length ? float.NaN : expected, targets[k]);
                Assert.Equal(held ? expected : float.NaN, holdout[k]);
                inside += held ? 1 : 0;
            }
        Assert.Equal(20 * H, inside);
        // The main holdout at the end trains only on rows with a target before it.
        Assert.Equal(data.RowsBefore(100), new TargetBlock(100, 120).TrainableRows(data));
    }

    [Fact]
    public void CalibrationFolds_KeepTheForecastingNetworks_AndCalibrateOnEarlierPeriodsToo()
    {
        // Calm everywhere except [120, 135): the main holdout [135, 150) is calm, so one fold leaves the
        // intervals as fitted; a second fold (holding out [120, 135), trained on the rest) sees the burst.
        var rng = new Rng(5);
        var y = new double[150];
        for (int t = 0; t < y.Length; t++)
            y[t] = 50 + 5 * Math.Sin(2 * Math.PI * t / 12) + (t is >= 120 and < 135 ? 3.0 : 0.2) * rng.NextGaussian();
        var log = new List<string>();
        var one = ForecastTestData.FastOptions();
        var two = ForecastTestData.FastOptions();
        two.Model.CalibrationFolds = 2;
        // The smoothing weight is chosen on all folds' pairs; fixing it keeps the point forecasts comparable.
        one.Model.ExponentialSmoothingWeight = two.Model.ExponentialSmoothingWeight = 0.5;
        two.Log = line => { lock (log) log.Add(line); };
        var a = LstmForecaster.Train(y, one);
        var b = LstmForecaster.Train(y, two);
        Assert.Contains(log, line => line.Contains("holdout: 2 fold(s), held-out blocks [135, 150) | [120, 135)"));
        for (int k = 0; k < a.ToData().NetworkParameters.Length; k++)
            Assert.Equal(a.ToData().NetworkParameters[k], b.ToData().NetworkParameters[k]);
        Assert.Equal(a.CreateEngine(y).Forecast().Point, b.CreateEngine(y).Forecast().Point);
        Assert.True(b.Calibration.Offsets.Sum() > a.Calibration.Offsets.Sum() + 1,
            $"offsets with 2 folds {string.Join(", ", b.Calibration.Offsets.Select(v => v.ToString("F2")))}; with 1 " +
            $"{string.Join(", ", a.Calibration.Offsets.Select(v => v.ToString("F2")))}");
        two.NumberOfThreads = 2;
        two.Log = null;
        Assert.Equal(b.Calibration.Offsets, LstmForecaster.Train(y, two).Calibration.Offsets);
    }

    [Fact]
    public void WithoutAHoldout_IntervalsAreAtLeastAsWideAsTheBaselinesErrors()
    {
        // Three seasons of a noisy monthly series, horizon 18: no holdout leaves H rows to train on before it, so nothing
        // out of sample calibrates. The intervals must still span the seasonal naive forecast's own errors in the
        // training rows, below and above their median, at every horizon (pooled over h ± 2 as the calibration pools).
        var rng = new Rng(11);
        var y = Enumerable.Range(0, 36).Select(t => 100 + 10 * Math.Sin(2 * Math.PI * t / 12) + 4 * rng.NextGaussian()).ToArray();
        var options = ForecastTestData.FastOptions(horizon: 18);
        (options.Model.WindowSize, options.Model.SeriesLength, options.Model.EarlyStoppingPatience) = (18, 18, 0);
        (options.Model.SeasonalDifferencing, options.ConfidenceLevels) = (AutoSwitch.On, [0.8]);
        var log = new List<string>();
        options.Log = line => { lock (log) log.Add(line); };
        var model = LstmForecaster.Train(y, options);
        Assert.Contains(log, line => line.Contains("holdout 0 of 36"));
        Assert.Contains(log, line => line.Contains("spread of the baseline's errors"));
        options.Model.CalibrateIntervals = false;
        options.Log = null;
        var raw = LstmForecaster.Train(y, options).CreateEngine(y).Forecast();
        var f = model.CreateEngine(y).Forecast();
        Assert.Equal(raw.Point, f.Point);
        var data = new ForecastDataset(model.Transform, y.Select(model.Transform.ToModel).ToArray(), [], 18);
        for (int h = 0; h < 18; h++)
        {
            var errors = Enumerable.Range(Math.Max(0, h - 2), Math.Min(17, h + 2) - Math.Max(0, h - 2) + 1)
                .SelectMany(g => Enumerable.Range(0, data.Rows).Select(i => (double)data.Targets[i * 18 + g]))
                .Where(double.IsFinite).Order().ToArray();
            double Rank(double p) => errors[Math.Clamp((int)Math.Ceiling((errors.Length + 1) * p), 1, errors.Length) - 1];
            double s = model.Transform.Scale, slack = 1e-6 * s;
            Assert.True(f.Lower(0.8)[h] <= raw.Lower(0.8)[h] && f.Upper(0.8)[h] >= raw.Upper(0.8)[h], $"h = {h + 1}: narrowed");
            Assert.True(f.Point[h] - f.Lower(0.8)[h] >= (Rank(0.5) - Rank(0.1)) * s - slack,
                $"h = {h + 1}: lower gap {f.Point[h] - f.Lower(0.8)[h]:F3} < baseline's {(Rank(0.5) - Rank(0.1)) * s:F3}");
            Assert.True(f.Upper(0.8)[h] - f.Point[h] >= (Rank(0.9) - Rank(0.5)) * s - slack,
                $"h = {h + 1}: upper gap {f.Upper(0.8)[h] - f.Point[h]:F3} < baseline's {(Rank(0.9) - Rank(0.5)) * s:F3}");
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    public void IntervalWidths_NeverNarrowWithTheHorizon(int seed)
    {
        // A short noisy series with a short holdout: the per-horizon quantiles and offsets come from a few pairs and dip
        // and rise from one step to the next. A bound may not come nearer to the median at a later step than at an
        // earlier one (on the scale of the series: no log or power transform), at either level.
        var rng = new Rng((ulong)seed);
        var y = Enumerable.Range(0, 72).Select(t => 50 + 0.3 * t + 6 * Math.Sin(2 * Math.PI * t / 12) + 3 * rng.NextGaussian())
            .ToArray();
        var options = ForecastTestData.FastOptions(horizon: 12);
        (options.Model.WindowSize, options.Model.SeriesLength) = (12, 24);
        (options.Model.LogTransform, options.Model.PowerTransform) = (AutoSwitch.Off, AutoSwitch.Off);
        options.ConfidenceLevels = [0.8, 0.95];
        options.Seed = (ulong)seed;
        var f = LstmForecaster.Train(y, options).CreateEngine(y).Forecast();
        foreach (double level in new[] { 0.8, 0.95 })
            for (int h = 1; h < 12; h++)
            {
                double below = f.Point[h] - f.Lower(level)[h], belowBefore = f.Point[h - 1] - f.Lower(level)[h - 1];
                double above = f.Upper(level)[h] - f.Point[h], aboveBefore = f.Upper(level)[h - 1] - f.Point[h - 1];
                Assert.True(below >= belowBefore - 1e-9, $"{level}: lower gap {below:F4} at h = {h + 1} < {belowBefore:F4} before");
                Assert.True(above >= aboveBefore - 1e-9, $"{level}: upper gap {above:F4} at h = {h + 1} < {aboveBefore:F4} before");
            }
    }

    [Fact]
    public void CalibrationFolds_BelowOne_AreRejected()
    {
        var o = ForecastTestData.FastOptions();
        o.Model.CalibrationFolds = 0;
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => LstmForecaster.Train(ForecastTestData.Seasonal(100, 1), o));
        Assert.Equal("CalibrationFolds", ex.ParamName);
    }
}
