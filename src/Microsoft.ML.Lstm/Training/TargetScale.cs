using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// Regression targets standardized for training and the scale folded back into the head afterwards, so that any ordinary
/// label range (about 300 ± 1, or thousands) trains like one of mean 0 and variance 1 while the trained network still
/// outputs labels in their own units: after training on (y − mean) / sd, the head becomes W·sd and b·sd + mean. The losses
/// a training run reports are those of the standardized labels.
/// </summary>
/// <param name="Mean">Mean of the targets.</param>
/// <param name="StandardDeviation">Their standard deviation (1 when they are all equal).</param>
internal readonly record struct TargetScale(double Mean, double StandardDeviation)
{
    /// <summary>The scale of every target value of <paramref name="data"/> (real targets).</summary>
    public static TargetScale Of(SequenceDataset data)
    {
        var scale = new Accumulator();
        for (int i = 0; i < data.Count; i++) scale.Add(data[i].Target!);
        return scale.Result;
    }

    /// <summary>Standardizes one sample's targets in place: (y − mean) / sd.</summary>
    public void Standardize(SequenceSample sample)
    {
        var target = sample.Target!;
        for (int k = 0; k < target.Length; k++) target[k] = (float)((target[k] - Mean) / StandardDeviation);
    }

    /// <summary>
    /// The scale of target values seen one sample at a time (a single streaming pass): Welford's running mean and sum of
    /// squared deviations, exact enough for labels far from 0 (about 1e6 ± 1).
    /// </summary>
    internal sealed class Accumulator
    {
        private double _mean, _squares;
        private long _count;

        /// <summary>Adds every value of <paramref name="targets"/>.</summary>
        public void Add(ReadOnlySpan<float> targets)
        {
            foreach (float v in targets)
            {
                _count++;
                double delta = v - _mean;
                _mean += delta / _count;
                _squares += delta * (v - _mean);
            }
        }

        /// <summary>The mean and standard deviation of the values added (a unit deviation when they are all equal).</summary>
        public TargetScale Result
        {
            get
            {
                double sd = _count < 2 ? 0 : Math.Sqrt(_squares / _count);
                return new TargetScale(_mean, sd > 1e-12 * Math.Max(1, Math.Abs(_mean)) ? sd : 1);
            }
        }
    }

    /// <summary>Replaces every target of <paramref name="data"/> by (y − mean) / sd, in place.</summary>
    public void Standardize(SequenceDataset data)
    {
        for (int i = 0; i < data.Count; i++) Standardize(data[i]);
    }

    /// <summary>Makes the head of <paramref name="net"/>, trained on standardized targets, output them in their own units.</summary>
    public void FoldIntoHead(LstmNetwork<float> net)
    {
        foreach (ref float w in net.Parameters["head.W"]) w = (float)(w * StandardDeviation);
        foreach (ref float b in net.Parameters["head.b"]) b = (float)(b * StandardDeviation + Mean);
    }
}
