using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.Forecasting;

/// <summary>The ensemble's mixture quantiles (<see cref="QuantilePool"/>) and how <see cref="QuantileLayout"/> uses them.</summary>
public class QuantilePoolTests
{
    private static readonly double[] Levels = [0.025, 0.1, 0.5, 0.9, 0.975];

    /// <summary>
    /// The mixture CDF written out from its definition: the mean of the members' piecewise-linear CDFs with linear tails.
    /// </summary>
    private static double MixtureCdf(double[][] members, double x)
    {
        double sum = 0;
        foreach (var a in members)
        {
            var xs = new List<double> { a[0] - Levels[0] * (a[1] - a[0]) / (Levels[1] - Levels[0]) };
            var ps = new List<double> { 0 };
            for (int j = 0; j < a.Length; j++) { xs.Add(a[j]); ps.Add(Levels[j]); }
            xs.Add(a[^1] + (1 - Levels[^1]) * (a[^1] - a[^2]) / (Levels[^1] - Levels[^2]));
            ps.Add(1);
            double f = x < xs[0] ? 0 : 1;
            for (int i = 0; i + 1 < xs.Count; i++)
                if (x >= xs[i] && x < xs[i + 1]) f = ps[i] + (ps[i + 1] - ps[i]) * (x - xs[i]) / (xs[i + 1] - xs[i]);
            sum += f;
        }
        return sum / members.Length;
    }

    private static double[] Mixture(double[][] members)
    {
        var dest = new double[Levels.Length];
        QuantilePool.Mixture(members, Levels, new double[members.Length * (Levels.Length + 2)], dest);
        return dest;
    }

    [Fact]
    public void IdenticalMembers_GiveTheirOwnQuantiles()
    {
        double[] a = [-2.1, -1.3, 0.2, 1.5, 2.6];
        var got = Mixture([a, (double[])a.Clone(), (double[])a.Clone()]);
        for (int q = 0; q < a.Length; q++) Assert.Equal(a[q], got[q], 12);
    }

    [Fact]
    public void MixtureQuantiles_SolveTheMixtureCdf_AndAreAscending()
    {
        var rng = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            var members = Enumerable.Range(0, 1 + rng.Next(16)).Select(_ =>
            {
                double centre = 3 * (rng.NextDouble() - 0.5), x = centre - 2 * rng.NextDouble();
                var a = new double[Levels.Length];
                for (int j = 0; j < a.Length; j++)
                    a[j] = x += j == 0 ? 0 : rng.NextDouble() * (trial % 7 == 0 && j == 2 ? 0 : 1);   // some zero-width segments
                return a;
            }).ToArray();
            var got = Mixture(members);
            for (int q = 0; q < Levels.Length; q++)
            {
                if (q > 0) Assert.True(got[q] >= got[q - 1], $"trial {trial}: not ascending at {q}");
                // the smallest x with F(x) ≥ τ: F reaches τ at got[q] (exactly, unless F jumps over τ there) and not before
                double at = MixtureCdf(members, got[q]), before = MixtureCdf(members, got[q] - 1e-10);
                Assert.True(at >= Levels[q] - 1e-9 && before <= Levels[q] + 1e-6,
                    $"trial {trial}, level {Levels[q]}: F = {before} just before, {at} at {got[q]}");
                if (trial % 7 != 0) Assert.Equal(Levels[q], at, 9);   // no member has equal values: F is continuous
            }
        }
    }

    [Fact]
    public void DisagreeingMembers_WidenTheOuterQuantiles_BeyondTheirAverage()
    {
        double[] a = [-2, -1.3, 0, 1.3, 2];
        var low = a.Select(v => v - 1.5).ToArray();
        var high = a.Select(v => v + 1.5).ToArray();
        var got = Mixture([low, high]);
        Assert.Equal(0, got[2], 12);                 // symmetric: the mixture's median is the centre
        Assert.True(got[1] < -1.3 - 0.5 && got[3] > 1.3 + 0.5,
            $"80% interval [{got[1]}, {got[3]}] is not wider than the averaged [-1.3, 1.3]");
        Assert.True(got[0] < -2 && got[4] > 2);
    }

    [Fact]
    public void Layout_KeepsTheAverageMedian_AndUsesTheMixtureOnlyWhenAsked()
    {
        int H = 2;
        float[] m1 = [-2, -1, 0, 1, 2, -1, 0, 1, 2, 3];
        float[] m2 = [0, 1, 2, 3, 4, 1, 2, 3, 4, 5];
        var mixture = new QuantileLayout(new ForecasterSettings { Model = { EnsembleIntervals = EnsembleIntervals.Mixture } });
        var average = new QuantileLayout(new ForecasterSettings { Model = { EnsembleIntervals = EnsembleIntervals.QuantileAverage } });
        var mixed = new double[H * 5];
        var averaged = new double[H * 5];
        mixture.Combine([m1, m2], 0, H, mixed);
        average.Combine([m1, m2], 0, H, averaged);
        for (int k = 0; k < H * 5; k++) Assert.Equal((m1[k] + m2[k]) / 2.0, averaged[k], 12);
        for (int h = 0; h < H; h++)
        {
            Assert.Equal(averaged[h * 5 + 2], mixed[h * 5 + 2], 12);
            var expected = Mixture(
                [[.. m1.Skip(h * 5).Take(5).Select(v => (double)v)], [.. m2.Skip(h * 5).Take(5).Select(v => (double)v)]]);
            foreach (int q in new[] { 0, 1, 3, 4 }) Assert.Equal(expected[q], mixed[h * 5 + q], 12);
            Assert.True(mixed[h * 5 + 1] < averaged[h * 5 + 1] && mixed[h * 5 + 3] > averaged[h * 5 + 3]);
        }
        var single = new double[H * 5];
        mixture.Combine([m1], 0, H, single);   // one member: nothing to mix
        for (int k = 0; k < H * 5; k++) Assert.Equal(m1[k], single[k], 12);
    }

    [Fact]
    public void UnknownEnsembleIntervals_IsRejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new ForecasterSettings { Model = { EnsembleIntervals = (EnsembleIntervals)7 } }.Validate());
        Assert.Equal(nameof(LstmForecastingOptions.EnsembleIntervals), e.ParamName);
    }
}
