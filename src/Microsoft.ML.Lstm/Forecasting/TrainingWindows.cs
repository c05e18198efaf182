using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// A training window over the rows of dataset <paramref name="Series"/>: run from <paramref name="RunStart"/>
/// (zero state), count losses on [<paramref name="LossStart"/>, <paramref name="End"/>).
/// </summary>
internal readonly record struct TrainingWindow(int Series, int RunStart, int LossStart, int End);

/// <summary>
/// The windows of one epoch and their batches. Loss segments of <c>WindowSize</c> rows tile the trainable
/// rows from a random shift, so every row's loss counts once per epoch. A segment that starts inside the
/// series is preceded by up to <c>Warmup</c> rows run without loss, from the zero state; the segment at
/// the start of the series runs from the true initial (zero) state, exactly as at inference, where the
/// LSTM always runs from the first observation.
/// </summary>
internal static class TrainingWindows
{
    /// <summary>The windows of one epoch over rows [0, rows[d]) of every dataset d.</summary>
    public static TrainingWindow[] Plan(IReadOnlyList<int> rows, int window, int warmup, Rng rng)
    {
        var list = new List<TrainingWindow>();
        for (int d = 0; d < rows.Count; d++)
        {
            int shift = rng.NextInt(window);
            for (int s = shift - window; s < rows[d]; s += window)
            {
                int a = Math.Max(0, s), e = Math.Min(rows[d], s + window);
                if (e <= a) continue;
                list.Add(new TrainingWindow(d, a == 0 ? 0 : Math.Max(0, a - warmup), a, e));
            }
        }
        return [.. list];
    }

    /// <summary>
    /// A padded time-major batch of the windows, with targets [T·B × H·Q] (each r_{t,h} repeated for the Q
    /// quantiles; NaN where the loss does not count: warm-up rows, padding, and targets inside the
    /// window's dataset's held-out block) and regressors [T·B × H × E]. All datasets share F, H and E.
    /// </summary>
    public static (SequenceBatch<float> Batch, float[] Targets,
        float[] Regressors) Build(IReadOnlyList<ForecastDataset> datasets, ReadOnlySpan<TrainingWindow> windows,
        IReadOnlyList<TargetBlock> blocks, int quantiles)
    {
        var first = datasets[0];
        int B = windows.Length, F = first.Transform.InputSize, H = first.Horizon, E = first.Transform.ExogenousCount, Q = quantiles;
        var lengths = new int[B];
        int steps = 0;
        for (int b = 0; b < B; b++) { lengths[b] = windows[b].End - windows[b].RunStart; steps = Math.Max(steps, lengths[b]); }
        var inputs = new float[steps * B * F];
        var targets = new float[steps * B * H * Q];
        var regressors = new float[steps * B * H * E];
        targets.AsSpan().Fill(float.NaN);
        for (int b = 0; b < B; b++)
        {
            var w = windows[b];
            var data = datasets[w.Series];
            var block = blocks[w.Series];
            for (int tau = 0; tau < lengths[b]; tau++)
            {
                int i = w.RunStart + tau, r = tau * B + b;
                data.Inputs.AsSpan(i * F, F).CopyTo(inputs.AsSpan(r * F, F));
                data.Regressors.AsSpan(i * H * E, H * E).CopyTo(regressors.AsSpan(r * H * E, H * E));
                if (i < w.LossStart) continue;
                for (int h = 1; h <= H; h++)
                {
                    int time = data.TargetTime(i, h);
                    if (time >= data.Length) break;
                    if (block.Contains(time)) continue;
                    targets.AsSpan((r * H + h - 1) * Q, Q).Fill(data.Targets[i * H + h - 1]);
                }
            }
        }
        return (new SequenceBatch<float>(steps, B, F, inputs, lengths: lengths), targets, regressors);
    }
}
