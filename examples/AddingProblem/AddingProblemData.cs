using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm.Examples;

/// <summary>
/// The adding problem (Hochreiter &amp; Schmidhuber 1997): each step carries a value in [0, 1) and a marker;
/// exactly two steps are marked, one in each half of the sequence, and the target is the sum of their
/// values. Always predicting the mean sum (1.0) gives MSE ≈ 1/6 ≈ 0.167.
/// </summary>
public static class AddingProblemData
{
    /// <summary><paramref name="count"/> sequences of <paramref name="steps"/> steps, 2 features per step.</summary>
    public static SequenceDataset Generate(int count, int steps, ulong seed)
    {
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, "The adding problem needs at least 2 steps.");
        var rng = new Rng(seed);
        var samples = new SequenceSample[count];
        for (int n = 0; n < count; n++)
        {
            var x = new float[steps * 2];
            for (int t = 0; t < steps; t++) x[2 * t] = (float)rng.NextDouble();
            int half = steps / 2, a = rng.NextInt(half), b = half + rng.NextInt(steps - half);
            x[2 * a + 1] = 1;
            x[2 * b + 1] = 1;
            samples[n] = new SequenceSample { Features = x, Target = [x[2 * a] + x[2 * b]] };
        }
        return new SequenceDataset(2, samples);
    }
}
