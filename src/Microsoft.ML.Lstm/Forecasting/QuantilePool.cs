namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Combines the members' predictive distributions at one horizon by their mixture (linear opinion pool,
/// Stone 1961): F(x) = (1/K)·Σ_k F_k(x), where member k's CDF F_k interpolates its Q predicted quantiles
/// (a_j, τ_j) linearly, and its tails extend the outer segments to levels 0 and 1. Unlike averaging the
/// quantiles (Vincentization), the mixture is wider where the members disagree, so the spread between
/// networks trained from different seeds (the model's own uncertainty, as in deep ensembles) enters the
/// intervals. The combined values are the mixture's quantiles at the same levels τ_j.
/// </summary>
internal static class QuantilePool
{
    /// <summary>
    /// Writes the mixture's quantiles at <paramref name="levels"/> into <paramref name="dest"/> [Q]: the
    /// smallest x with F(x) ≥ τ_j. F is linear between consecutive knots (every member's values and tail
    /// ends) and jumps where a member has two equal values, so it is evaluated just left and right of each
    /// knot.
    /// </summary>
    /// <param name="members">Per member its Q ≥ 2 values, each sorted ascending ([K][Q]).</param>
    /// <param name="levels">τ_0 &lt; … &lt; τ_{Q−1} in (0, 1).</param>
    /// <param name="knots">Scratch of at least K·(Q + 2) values.</param>
    /// <param name="dest">The Q combined values, ascending.</param>
    public static void Mixture(double[][] members, IReadOnlyList<double> levels, double[] knots, Span<double> dest)
    {
        int K = members.Length, Q = levels.Count, n = 0;
        foreach (var a in members)
            for (int i = 0; i <= Q + 1; i++) knots[n++] = Position(a, levels, i);
        var x = knots.AsSpan(0, n);
        x.Sort();
        double previousX = x[0], previousF = 0;
        int q = 0;
        for (int i = 0; i < n && q < Q; i++)
        {
            double left = 0, right = 0;
            foreach (var a in members)
            {
                left += Cdf(a, levels, x[i], leftLimit: true);
                right += Cdf(a, levels, x[i], leftLimit: false);
            }
            (left, right) = (left / K, right / K);
            for (; q < Q && levels[q] <= left; q++)   // reached on the linear piece [previousX, x[i]]
                dest[q] = left > previousF ? previousX + (levels[q] - previousF) / (left - previousF) * (x[i] - previousX) : x[i];
            for (; q < Q && levels[q] <= right; q++) dest[q] = x[i];   // inside a jump at x[i]
            (previousX, previousF) = (x[i], right);
        }
        for (; q < Q; q++) dest[q] = x[n - 1];   // rounding left the last level just out of reach
    }

    /// <summary>
    /// F_k(x) of a member with sorted values a (right-continuous), or its left limit F_k(x−). Knot i of the
    /// member is (<see cref="Position"/>, <see cref="Level"/>): its lower tail end, its Q values, its upper tail end.
    /// </summary>
    private static double Cdf(double[] a, IReadOnlyList<double> levels, double x, bool leftLimit)
    {
        int last = levels.Count + 1;
        if (leftLimit ? x <= Position(a, levels, 0) : x < Position(a, levels, 0)) return 0;
        if (leftLimit ? x > Position(a, levels, last) : x >= Position(a, levels, last)) return 1;
        int i = 0;   // the piece [p_i, p_{i+1}] holding x: p_i ≤ x < p_{i+1}, or p_i < x ≤ p_{i+1} for the left limit
        while (leftLimit ? Position(a, levels, i + 1) < x : Position(a, levels, i + 1) <= x) i++;
        double p0 = Position(a, levels, i), p1 = Position(a, levels, i + 1);
        return Level(levels, i) + (Level(levels, i + 1) - Level(levels, i)) * (x - p0) / (p1 - p0);
    }

    /// <summary>Knot i's position: the lower tail end (i = 0), the value a_{i−1}, or the upper tail end (i = Q + 1).</summary>
    private static double Position(double[] a, IReadOnlyList<double> levels, int i)
    {
        int Q = a.Length;
        if (i == 0) return a[0] - levels[0] * (a[1] - a[0]) / (levels[1] - levels[0]);
        if (i == Q + 1) return a[Q - 1] + (1 - levels[Q - 1]) * (a[Q - 1] - a[Q - 2]) / (levels[Q - 1] - levels[Q - 2]);
        return a[i - 1];
    }

    /// <summary>Knot i's level: 0, τ_{i−1}, or 1.</summary>
    private static double Level(IReadOnlyList<double> levels, int i) => i == 0 ? 0 : i == levels.Count + 1 ? 1 : levels[i - 1];
}
