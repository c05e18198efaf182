using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// Turns per-step class scores [steps × classes] of a CTC model (<see cref="CtcLoss{T}"/>, blank = class 0) into a label
/// sequence. <see cref="Greedy"/>: the best class at each step, repeats merged, blanks removed (best path).
/// <see cref="BeamSearch"/>: prefix beam search (Graves 2012; Hannun et al. 2014) keeps the
/// <c>beamWidth</c> most probable label prefixes, each with the probability of its alignments ending in a blank and in
/// its last label, so that alignments collapsing to the same labels add up: it finds the most probable labelling,
/// not the most probable path, whenever the beam is wide enough.
/// </summary>
internal static class CtcDecoder
{
    /// <summary>Best path: argmax per step, repeats merged, blanks dropped.</summary>
    public static int[] Greedy<T>(ReadOnlySpan<T> logits, int steps, int classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var labels = new List<int>();
        int previous = CtcLoss<T>.Blank;
        for (int t = 0; t < steps; t++)
        {
            int best = 0;
            for (int k = 1; k < classes; k++) if (logits[t * classes + k] > logits[t * classes + best]) best = k;
            if (best != CtcLoss<T>.Blank && best != previous) labels.Add(best);
            previous = best;
        }
        return [.. labels];
    }

    /// <summary>The most probable labelling found by a beam of <paramref name="beamWidth"/> prefixes.</summary>
    public static int[] BeamSearch<T>(ReadOnlySpan<T> logits, int steps, int classes, int beamWidth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(beamWidth, 1);
        const int blank = 0;
        var logp = new T[classes];
        // Prefix → (log P(alignments ending in blank), log P(ending in its last label)).
        var beam = new Dictionary<Prefix, (double Blank, double Label)> { [Prefix.Empty] = (0, double.NegativeInfinity) };
        for (int t = 0; t < steps; t++)
        {
            SoftmaxCrossEntropyLoss<T>.LogSoftmax(logits.Slice(t * classes, classes), logp);
            var next = new Dictionary<Prefix, (double Blank, double Label)>();
            void Add(Prefix p, double blankPart, double labelPart)
            {
                var (b, l) = next.TryGetValue(p, out var v) ? v : (double.NegativeInfinity, double.NegativeInfinity);
                next[p] = (LogSpace.Add(b, blankPart), LogSpace.Add(l, labelPart));
            }
            foreach (var (prefix, (pb, pl)) in beam)
            {
                double total = LogSpace.Add(pb, pl);
                Add(prefix, total + double.CreateChecked(logp[blank]), double.NegativeInfinity);
                for (int k = 1; k < classes; k++)
                {
                    double pk = double.CreateChecked(logp[k]);
                    if (k == prefix.Last)
                    {
                        Add(prefix, double.NegativeInfinity, pl + pk);            // the last label again, merged
                        Add(prefix.With(k), double.NegativeInfinity, pb + pk);    // a repeat needs a blank between
                    }
                    else Add(prefix.With(k), double.NegativeInfinity, total + pk);
                }
            }
            beam = next.OrderByDescending(p => LogSpace.Add(p.Value.Blank, p.Value.Label)).Take(beamWidth)
                .ToDictionary(p => p.Key, p => p.Value);
        }
        return [.. beam.MaxBy(p => LogSpace.Add(p.Value.Blank, p.Value.Label)).Key.Labels];
    }

    /// <summary>An immutable label prefix with value equality.</summary>
    private sealed class Prefix(int[] labels) : IEquatable<Prefix>
    {
        public static readonly Prefix Empty = new([]);

        public int[] Labels { get; } = labels;

        public int Last => Labels.Length == 0 ? -1 : Labels[^1];

        public Prefix With(int label) => new([.. Labels, label]);

        public bool Equals(Prefix? other) => other is not null && Labels.AsSpan().SequenceEqual(other.Labels);

        public override bool Equals(object? obj) => Equals(obj as Prefix);

        public override int GetHashCode()
        {
            var h = new HashCode();
            foreach (int l in Labels) h.Add(l);
            return h.ToHashCode();
        }
    }
}
