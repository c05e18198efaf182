using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>A variable-length sequence of 2 features per step, with labels for the three tasks.</summary>
public sealed class SeqRow
{
    /// <summary>Values, 2 per step (variable size: no VectorType attribute).</summary>
    public float[] Features { get; set; } = [];

    /// <summary>Regression label: the mean of the first feature over the steps.</summary>
    public float Value { get; set; }

    /// <summary>Binary label: more positive than negative second features.</summary>
    public bool Flag { get; set; }

    /// <summary>Multiclass label: the mean of the first feature is low (&lt; −0.1), mid or high (&gt; 0.1).</summary>
    public string Part { get; set; } = "";
}

/// <summary>Scores read back from a PredictionEngine (regression).</summary>
public sealed class ValuePrediction
{
    /// <summary>Predicted value.</summary>
    public float Score { get; set; }
}

/// <summary>Scores read back from a PredictionEngine (binary).</summary>
public sealed class FlagPrediction
{
    /// <summary>Logit.</summary>
    public float Score { get; set; }

    /// <summary>Calibrated probability.</summary>
    public float Probability { get; set; }

    /// <summary>Decision.</summary>
    public bool PredictedLabel { get; set; }
}

/// <summary>Scores read back from a PredictionEngine (multiclass).</summary>
public sealed class PartPrediction
{
    /// <summary>Class probabilities.</summary>
    public float[] Score { get; set; } = [];

    /// <summary>Predicted class (key).</summary>
    public uint PredictedLabel { get; set; }
}

/// <summary>Seeded synthetic sequence data for the ML.NET tests.</summary>
internal static class LstmTestData
{
    public static List<SeqRow> Rows(int count, int seed)
    {
        var rng = new Random(seed);
        var rows = new List<SeqRow>(count);
        for (int n = 0; n < count; n++)
        {
            int steps = 6 + rng.Next(7);
            var x = new float[steps * 2];
            for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
            int positive = 0;
            float sum = 0;
            for (int t = 0; t < steps; t++)
            {
                sum += x[2 * t];
                if (x[2 * t + 1] > 0) positive++;
            }
            float mean = sum / steps;
            rows.Add(new SeqRow
            {
                Features = x, Value = mean, Flag = 2 * positive > steps,
                Part = mean < -0.1f ? "low" : mean > 0.1f ? "high" : "mid",
            });
        }
        return rows;
    }

    public static IDataView Load(MLContext ml, int count, int seed) => ml.Data.LoadFromEnumerable(Rows(count, seed));

    /// <summary>Options for quick, seeded training on this data.</summary>
    public static LstmOptions Options(string label, int epochs = 25) => new()
    {
        LabelColumnName = label, FeaturesPerStep = 2, HiddenSize = 24, NumberOfEpochs = epochs,
        BatchSize = 16, LearningRate = 1e-2, Seed = 5, NumberOfThreads = 2,
    };

    /// <summary>All values of a float column.</summary>
    public static float[] Floats(IDataView data, string column) => data.GetColumn<float>(column).ToArray();
}
