namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>
/// The Theta method as R forecast's <c>thetaf</c> computes it (Assimakopoulos &amp; Nikolopoulos 2000; Hyndman &amp;
/// Billah 2003): simple exponential smoothing (α on a grid of 0.01 … 0.99, the initial level at its least-squares value
/// for each α) plus half the slope b of the least-squares line through the series, h steps ahead
/// ℓ + (b/2)·(h − 1 + (1 − (1 − α)ⁿ)/α). The line is kept as running sums, so a streaming model updates the state in
/// O(1) per value. Seasonal adjustment is the caller's (<see cref="SeasonalAdjustment"/>).
/// </summary>
internal struct ThetaMethod
{
    /// <summary>The smoothing parameter α.</summary>
    public double Alpha;

    /// <summary>The smoothed level after the last value.</summary>
    public double Level;

    /// <summary>Values seen, n, and the sums Σy and Σt·y (t from 0) of the least-squares line.</summary>
    public double Count, SumY, SumTY;

    /// <summary>Fits α and the initial level and runs the state over <paramref name="x"/> (at least two values).</summary>
    public static ThetaMethod Fit(ReadOnlySpan<double> x)
    {
        double bestSse = double.PositiveInfinity, bestAlpha = 0.5, bestStart = x[0];
        for (int a = 1; a <= 99; a++)
        {
            double alpha = a / 100.0;
            // One-step errors are linear in the initial level l0: e_t = c_t − w_t·l0 with w_t = (1 − α)^t.
            double sumWc = 0, sumWw = 0, w = 1, levelFromZero = 0;
            for (int t = 0; t < x.Length; t++)
            {
                sumWc += w * (x[t] - levelFromZero);
                sumWw += w * w;
                levelFromZero += alpha * (x[t] - levelFromZero);
                w *= 1 - alpha;
            }
            double start = sumWc / sumWw, sse = 0, level = start;
            for (int t = 0; t < x.Length; t++)
            {
                double e = x[t] - level;
                sse += e * e;
                level += alpha * e;
            }
            if (sse < bestSse) (bestSse, bestAlpha, bestStart) = (sse, alpha, start);
        }
        var theta = new ThetaMethod { Alpha = bestAlpha, Level = bestStart };
        foreach (double v in x) theta.Update(v);
        return theta;
    }

    /// <summary>Takes in the next value.</summary>
    public void Update(double y)
    {
        Level += Alpha * (y - Level);
        SumTY += Count * y;
        SumY += y;
        Count++;
    }

    /// <summary>The slope of the least-squares line through (t, y_t), t = 0 … n − 1 (0 for fewer than two values).</summary>
    public readonly double Slope
    {
        get
        {
            double n = Count;
            if (n < 2) return 0;
            double sumT = n * (n - 1) / 2, sumTT = (n - 1) * n * (2 * n - 1) / 6;
            return (SumTY - sumT * SumY / n) / (sumTT - sumT * sumT / n);
        }
    }

    /// <summary>The forecast h ≥ 1 steps after the last value.</summary>
    public readonly double Forecast(int h) =>
        Level + Slope / 2 * (h - 1 + (1 - Math.Pow(1 - Alpha, Count)) / Alpha);
}
