namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Which quantiles the network predicts and where: levels ascending (0.5 and (1 ∓ c)/2 for every
/// confidence level c), column h·Q + q of a head row. Combines ensemble members: the median is the
/// members' average median; the other quantiles are the members' averages (Vincentization) or their
/// mixture's quantiles (<see cref="EnsembleIntervals"/>); the Q values of each horizon are then sorted
/// (monotone rearrangement), so quantiles never cross.
/// </summary>
internal sealed class QuantileLayout
{
    public QuantileLayout(ForecasterSettings options)
    {
        Levels = options.QuantileLevels();
        ConfidenceLevels = [.. options.ConfidenceLevels.Select(Forecasting.ConfidenceLevels.Normalize)];
        Median = Array.IndexOf(Levels, 0.5);
        Lower = ConfidenceLevels.Select(c => Array.IndexOf(Levels, Math.Round((1 - c) / 2, 12))).ToArray();
        Upper = ConfidenceLevels.Select(c => Array.IndexOf(Levels, Math.Round((1 + c) / 2, 12))).ToArray();
        Intervals = options.Model.EnsembleIntervals;
    }

    /// <summary>How members' outer quantiles combine.</summary>
    public EnsembleIntervals Intervals { get; }

    /// <summary>Quantile levels, ascending.</summary>
    public double[] Levels { get; }

    /// <summary>Q.</summary>
    public int Count => Levels.Length;

    /// <summary>Confidence levels in option order.</summary>
    public double[] ConfidenceLevels { get; }

    /// <summary>Index of the median.</summary>
    public int Median { get; }

    /// <summary>Index of the lower quantile of each confidence level.</summary>
    public int[] Lower { get; }

    /// <summary>Index of the upper quantile of each confidence level.</summary>
    public int[] Upper { get; }

    /// <summary>
    /// Writes into <paramref name="dest"/> [H × Q] the members' combined values of the row starting at
    /// <paramref name="offset"/> in each member's outputs, sorted within each horizon.
    /// </summary>
    public void Combine(IReadOnlyList<float[]> members, int offset, int horizon, Span<double> dest)
    {
        int n = horizon * Count, K = members.Count;
        dest[..n].Clear();
        foreach (var m in members)
            for (int k = 0; k < n; k++) dest[k] += m[offset + k];
        for (int k = 0; k < n; k++) dest[k] /= K;
        bool mixture = Intervals == EnsembleIntervals.Mixture && K > 1 && Count > 2;
        var sorted = mixture ? members.Select(_ => new double[Count]).ToArray() : null;
        var knots = mixture ? new double[K * (Count + 2)] : null;
        var pooled = mixture ? new double[Count] : null;
        for (int h = 0; h < horizon; h++)
        {
            var values = dest.Slice(h * Count, Count);
            if (mixture)
            {
                for (int k = 0; k < K; k++)
                {
                    for (int q = 0; q < Count; q++) sorted![k][q] = members[k][offset + h * Count + q];
                    Array.Sort(sorted![k]);
                }
                QuantilePool.Mixture(sorted!, Levels, knots!, pooled);
                for (int q = 0; q < Count; q++)
                    if (q != Median) values[q] = pooled![q];
            }
            values.Sort();
        }
    }
}
