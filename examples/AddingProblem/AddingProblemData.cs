namespace Microsoft.ML.Lstm.Examples;

/// <summary>One adding-problem sequence: 2 values per step (a number in [0, 1) and a marker), and the target sum.</summary>
public sealed class AddingProblemRow
{
    /// <summary>Steps × 2 values, time-major: value, marker, value, marker, ...</summary>
    public float[] Features { get; set; } = [];

    /// <summary>The sum of the two marked values.</summary>
    public float Label { get; set; }
}

/// <summary>
/// The adding problem (Hochreiter &amp; Schmidhuber 1997): each step carries a value in [0, 1) and a marker;
/// exactly two steps are marked, one in each half of the sequence, and the target is the sum of their
/// values. Always predicting the mean sum (1.0) gives MSE ≈ 1/6 ≈ 0.167.
/// </summary>
public static class AddingProblemData
{
    /// <summary><paramref name="count"/> sequences of <paramref name="steps"/> steps, 2 features per step.</summary>
    public static AddingProblemRow[] Generate(int count, int steps, int seed)
    {
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, "The adding problem needs at least 2 steps.");
        var rng = new Random(seed);
        var rows = new AddingProblemRow[count];
        for (int n = 0; n < count; n++)
        {
            var x = new float[steps * 2];
            for (int t = 0; t < steps; t++) x[2 * t] = (float)rng.NextDouble();
            int half = steps / 2, a = rng.Next(half), b = half + rng.Next(steps - half);
            x[2 * a + 1] = 1;
            x[2 * b + 1] = 1;
            rows[n] = new AddingProblemRow { Features = x, Label = x[2 * a] + x[2 * b] };
        }
        return rows;
    }
}
