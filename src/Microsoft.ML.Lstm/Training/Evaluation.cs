using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>Loss and a task metric of a network over a dataset, without dropout.</summary>
internal static class Evaluation
{
    /// <summary>
    /// Mean loss (weighted by valid rows) and metric: accuracy for softmax/sigmoid cross-entropy (argmax,
    /// or logit &gt; 0 per output), RMSE for regression losses.
    /// </summary>
    public static (double Loss, double Metric) Evaluate(LstmNetwork<float> net,
        SequenceDataset data, TrainingOptions options, LstmWorkspace<float>? workspace = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Evaluate(net, data.FeaturesPerStep, data.Samples, options, workspace);
    }

    /// <summary>The loss and metric of <see cref="Evaluate(LstmNetwork{float}, SequenceDataset, TrainingOptions,
    /// LstmWorkspace{float}?)"/> over checked samples read one batch at a time.</summary>
    public static (double Loss, double Metric) Evaluate(LstmNetwork<float> net, int featuresPerStep,
        IEnumerable<SequenceSample> samples, TrainingOptions options, LstmWorkspace<float>? workspace = null)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(options);
        var loss = Losses.Create<float>(options.Loss, options.HuberDelta);
        var builder = new BatchBuilder(net.Spec, options.Loss);
        var ws = workspace ?? net.CreateWorkspace();
        int O = net.Spec.OutputSize;
        double lossSum = 0, metricSum = 0;
        long rowsSum = 0, elementsSum = 0;
        float[] dyBuffer = [];
        foreach (var slice in TrainingLoop.InBatches(samples, options.BatchSize))
        {
            var (batch, targets, valid) = builder.Build(featuresPerStep, slice);
            var y = net.Forward(ws, batch);
            if (dyBuffer.Length < y.Length) dyBuffer = new float[y.Length];
            int n = valid.Count(v => v);
            lossSum += (double)loss.Compute(y, valid.Count, O, targets, valid, dyBuffer.AsSpan(0, y.Length)) * n;
            rowsSum += n;
            for (int r = 0; r < valid.Count; r++)
            {
                if (!valid[r]) continue;
                var row = y.Slice(r * O, O);
                switch (options.Loss)
                {
                    case LossKind.SoftmaxCrossEntropy:
                        metricSum += ArgMax(row) == targets.Classes![r] ? 1 : 0; elementsSum++;
                        break;
                    case LossKind.SigmoidBinaryCrossEntropy:
                        for (int j = 0; j < O; j++)
                        {
                            metricSum += (row[j] > 0) == (targets.Values![r * O + j] > 0.5f) ? 1 : 0;
                            elementsSum++;
                        }
                        break;
                    default:
                        for (int j = 0; j < O; j++) { double d = row[j] - targets.Values![r * O + j]; metricSum += d * d; elementsSum++; }
                        break;
                }
            }
        }
        if (rowsSum == 0) throw new ArgumentException("The evaluation data is empty.", nameof(samples));
        double metric = metricSum / elementsSum;
        return (lossSum / rowsSum, IsClassification(options.Loss) ? metric : Math.Sqrt(metric));
    }

    /// <summary>"accuracy" or "rmse".</summary>
    public static string MetricName(LossKind loss) => IsClassification(loss) ? "accuracy" : "rmse";

    private static bool IsClassification(LossKind loss) => loss is LossKind.SoftmaxCrossEntropy or LossKind.SigmoidBinaryCrossEntropy;

    /// <summary>Index of the largest value (first on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int j = 1; j < v.Length; j++) if (v[j] > v[best]) best = j;
        return best;
    }
}
