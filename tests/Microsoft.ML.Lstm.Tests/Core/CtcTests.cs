using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>
/// CTC (blank = 0): the loss against a brute-force sum over every alignment, its gradient against finite differences in
/// double, the decoders against the most probable labelling found by enumeration, and the edit-distance metrics.
/// </summary>
public class CtcTests
{
    private static double[] RandomLogits(int steps, int classes, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, steps * classes).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
    }

    /// <summary>Every path of <paramref name="steps"/> classes, with its probability and the labels it collapses to.</summary>
    private static IEnumerable<(int[] Labels, double Probability)> Paths(double[] logits, int steps, int classes)
    {
        var p = new double[steps * classes];
        for (int t = 0; t < steps; t++)
        {
            double sum = 0;
            for (int k = 0; k < classes; k++) sum += Math.Exp(logits[t * classes + k]);
            for (int k = 0; k < classes; k++) p[t * classes + k] = Math.Exp(logits[t * classes + k]) / sum;
        }
        int total = (int)Math.Pow(classes, steps);
        for (int code = 0; code < total; code++)
        {
            var path = new int[steps];
            double prob = 1;
            for (int t = 0, c = code; t < steps; t++, c /= classes) { path[t] = c % classes; prob *= p[t * classes + path[t]]; }
            var labels = new List<int>();
            for (int t = 0; t < steps; t++)
                if (path[t] != 0 && (t == 0 || path[t] != path[t - 1])) labels.Add(path[t]);
            yield return ([.. labels], prob);
        }
    }

    [Theory]
    [InlineData(5, 3, new[] { 1, 2 }, 1)]
    [InlineData(5, 3, new[] { 1, 1 }, 2)]      // a repeat: needs a blank between
    [InlineData(4, 4, new[] { 3 }, 3)]
    [InlineData(6, 3, new[] { 2, 1, 2 }, 4)]
    [InlineData(3, 2, new int[0], 5)]          // the empty labelling: all blanks
    public void Loss_IsMinusLogOfTheSumOverEveryAlignment(int steps, int classes, int[] labels, int seed)
    {
        var logits = RandomLogits(steps, classes, seed);
        double brute = Paths(logits, steps, classes).Where(p => p.Labels.SequenceEqual(labels)).Sum(p => p.Probability);
        double loss = CtcLoss<double>.Compute(logits, steps, classes, labels, new double[logits.Length]);
        Assert.Equal(-Math.Log(brute), loss, 1e-10);
    }

    [Theory]
    [InlineData(7, 4, new[] { 1, 2, 2, 3 }, 11)]
    [InlineData(9, 5, new[] { 4, 1, 4 }, 12)]
    [InlineData(3, 3, new[] { 2 }, 13)]
    public void Gradient_MatchesCentralDifferences(int steps, int classes, int[] labels, int seed)
    {
        var logits = RandomLogits(steps, classes, seed);
        var grad = new double[logits.Length];
        CtcLoss<double>.Compute(logits, steps, classes, labels, grad);
        double worst = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            double L(double delta)
            {
                var x = (double[])logits.Clone();
                x[i] += delta;
                return CtcLoss<double>.Compute(x, steps, classes, labels, new double[x.Length]);
            }
            const double eps = 1e-4;
            double numeric = (8 * (L(eps) - L(-eps)) - (L(2 * eps) - L(-2 * eps))) / (12 * eps);
            worst = Math.Max(worst, Math.Abs(numeric - grad[i]) / Math.Max(1e-8, Math.Max(Math.Abs(numeric), Math.Abs(grad[i]))));
        }
        Assert.True(worst < 1e-6, $"max relative error {worst:E2}");
    }

    [Fact]
    public void TooFewSteps_GiveAnInfiniteLossAndNoGradient()
    {
        var grad = new double[6];
        Assert.Equal(4, CtcLoss<double>.MinimumSteps([1, 1, 2]));   // 1 _ 1 2
        Assert.Equal(double.PositiveInfinity, CtcLoss<double>.Compute(RandomLogits(2, 3, 1), 2, 3, [1, 1], grad));
        Assert.All(grad, g => Assert.Equal(0, g));
        Assert.Throws<ArgumentException>(() => CtcLoss<double>.Compute(RandomLogits(2, 3, 1), 2, 3, [0], grad));
        Assert.Throws<ArgumentException>(() => CtcLoss<double>.Compute(RandomLogits(2, 3, 1), 2, 3, [3], grad));
    }

    [Fact]
    public void Greedy_MergesRepeatsAndDropsBlanks()
    {
        // Best classes per step: 1 1 0 1 2 2 0 → labels 1 1 2.
        int[] best = [1, 1, 0, 1, 2, 2, 0];
        var logits = new float[best.Length * 3];
        for (int t = 0; t < best.Length; t++) logits[t * 3 + best[t]] = 5;
        Assert.Equal([1, 1, 2], CtcDecoder.Greedy<float>(logits, best.Length, 3));
    }

    [Theory]
    [InlineData(4, 3, 21)]
    [InlineData(5, 3, 22)]
    [InlineData(4, 4, 23)]
    public void BeamSearch_FindsTheMostProbableLabelling_WhereTheBestPathMayNot(int steps, int classes, int seed)
    {
        var logits = RandomLogits(steps, classes, seed);
        var byLabels = Paths(logits, steps, classes).GroupBy(p => string.Join(",", p.Labels))
            .Select(g => (Labels: g.First().Labels, Probability: g.Sum(p => p.Probability))).ToList();
        var best = byLabels.MaxBy(g => g.Probability).Labels;
        Assert.Equal(best, CtcDecoder.BeamSearch<double>(logits, steps, classes, beamWidth: 64));
    }

    [Fact]
    public void BeamSearch_BeatsTheBestPath_OnTheTextbookCase()
    {
        // Two steps over {blank, a}: P(blank) = 0.6 at each, so the best path is blank blank (empty labelling, 0.36),
        // but "a" collects a·a, a·blank, blank·a = 0.16 + 0.24 + 0.24 = 0.64.
        double[] p = [0.6, 0.4, 0.6, 0.4];
        var logits = p.Select(v => Math.Log(v)).ToArray();
        Assert.Empty(CtcDecoder.Greedy<double>(logits, 2, 2));
        Assert.Equal([1], CtcDecoder.BeamSearch<double>(logits, 2, 2, beamWidth: 4));
    }

    [Fact]
    public void EditDistances_AndErrorRates()
    {
        Assert.Equal(3, EditDistance.Distance<char>("kitten", "sitting"));
        Assert.Equal(0, EditDistance.Distance<int>([1, 2], [1, 2]));
        Assert.Equal(2, EditDistance.Distance<int>([1, 2], []));
        Assert.Equal(0.25, EditDistance.ErrorRate<int>([([1, 2, 3, 4], [1, 2, 4])]));
        Assert.Equal(1.0 / 3, EditDistance.WordErrorRate([("the cat sat", "the  cat sits")]), 12);
    }
}
