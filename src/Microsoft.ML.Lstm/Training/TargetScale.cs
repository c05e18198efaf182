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
        double sum = 0, sumSquares = 0;
        long n = 0;
        for (int i = 0; i < data.Count; i++)
            foreach (float v in data[i].Target!)
            {
                sum += v;
                n++;
            }
        double mean = n == 0 ? 0 : sum / n;
        for (int i = 0; i < data.Count; i++)
            foreach (float v in data[i].Target!) sumSquares += (v - mean) * (v - mean);
        double sd = n < 2 ? 0 : Math.Sqrt(sumSquares / n);
        return new TargetScale(mean, sd > 1e-12 * Math.Max(1, Math.Abs(mean)) ? sd : 1);
    }

    /// <summary>Replaces every target of <paramref name="data"/> by (y − mean) / sd, in place.</summary>
    public void Standardize(SequenceDataset data)
    {
        for (int i = 0; i < data.Count; i++)
        {
            var target = data[i].Target!;
            for (int k = 0; k < target.Length; k++) target[k] = (float)((target[k] - Mean) / StandardDeviation);
        }
    }

    /// <summary>Makes the head of <paramref name="net"/>, trained on standardized targets, output them in their own units.</summary>
    public void FoldIntoHead(LstmNetwork<float> net)
    {
        foreach (ref float w in net.Parameters["head.W"]) w = (float)(w * StandardDeviation);
        foreach (ref float b in net.Parameters["head.b"]) b = (float)(b * StandardDeviation + Mean);
    }
}
