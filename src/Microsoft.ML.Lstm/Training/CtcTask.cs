using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>One unaligned training sequence: frames (steps × F values, step after step) and its shorter label sequence.</summary>
/// <param name="Frames">The input, step after step.</param>
/// <param name="Labels">The labels, classes 1 … C − 1 (0 is the CTC blank), fewer than the steps.</param>
internal sealed record CtcSequence(float[] Frames, int[] Labels);

/// <summary>
/// The <see cref="TrainingLoop"/> hooks for unaligned labelling: a network with a per-step head of C classes (blank = 0)
/// trained by <see cref="CtcLoss{T}"/> on each sequence's valid steps; the loss of a batch is the mean over its sequences,
/// padded steps get no gradient. One item is a sequence index. Validation reports the mean CTC loss and the character
/// error rate of greedy decoding on held-out sequences.
/// </summary>
internal sealed class CtcTask : ITrainingTask<int>
{
    private readonly LstmNetwork<float> _net;
    private readonly IReadOnlyList<CtcSequence> _data;
    private readonly IReadOnlyList<CtcSequence>? _validation;
    private readonly int _features;
    private readonly LstmWorkspace<float> _ws;
    private readonly int[] _order;
    private float[] _dy = [];
    private int _outputs;

    /// <exception cref="ArgumentException">A sequence that does not fit the network (naming its index): frames not whole
    /// steps, a label outside 1 … C − 1, or fewer steps than its labels need.</exception>
    public CtcTask(LstmNetwork<float> net, IReadOnlyList<CtcSequence> data, OptimizerOptions optimizer,
        IReadOnlyList<CtcSequence>? validation = null)
    {
        var spec = net.Spec;
        if (spec.Head != HeadKind.ManyToMany || spec.VocabularySize > 0)
            throw new ArgumentException("CTC training needs a per-step head on float frames.", nameof(net));
        (_net, _data, _features, _validation) = (net, data, spec.InputSize, validation);
        foreach (var (s, i) in data.Select((s, i) => (s, i)).Concat(validation?.Select((s, i) => (s, data.Count + i)) ?? []))
        {
            if (s.Frames.Length == 0 || s.Frames.Length % _features != 0)
                throw new ArgumentException($"Sequence {i} has {s.Frames.Length} values, not whole steps of {_features}.", nameof(data));
            foreach (int c in s.Labels)
                if (c < 1 || c >= spec.OutputSize)
                    throw new ArgumentException($"Sequence {i} has label {c}; expected 1 … {spec.OutputSize - 1} (0 is the blank).",
                        nameof(data));
            int steps = s.Frames.Length / _features, need = CtcLoss<float>.MinimumSteps(s.Labels);
            if (steps < need)
                throw new ArgumentException($"Sequence {i} has {steps} steps; its {s.Labels.Length} labels need at least {need}.",
                    nameof(data));
        }
        _ws = net.CreateWorkspace();
        _ws.ComputeInputGradient = false;
        _order = Enumerable.Range(0, data.Count).ToArray();
        Groups = [new ParameterGroup(net.Parameters, net.Parameters.ZerosLike(), Optimizers.Create<float>(optimizer))];
    }

    public IReadOnlyList<ParameterGroup> Groups { get; }

    public bool HasValidation => _validation is not null;

    public string MetricName => "cer";

    public int[] PlanEpoch(Rng rng) => _order;

    public double? Forward(ReadOnlySpan<int> items, ulong dropoutSeed)
    {
        int B = items.Length, F = _features, C = _net.Spec.OutputSize;
        var lengths = new int[B];
        for (int b = 0; b < B; b++) lengths[b] = _data[items[b]].Frames.Length / F;
        int T = lengths.Max();
        var inputs = new float[T * B * F];
        for (int b = 0; b < B; b++)
            for (int t = 0; t < lengths[b]; t++)
                _data[items[b]].Frames.AsSpan(t * F, F).CopyTo(inputs.AsSpan((t * B + b) * F, F));
        var y = _net.Forward(_ws, new SequenceBatch<float>(T, B, F, inputs, lengths: lengths), training: true, dropoutSeed);
        _outputs = y.Length;
        if (_dy.Length < y.Length) _dy = new float[y.Length];
        _dy.AsSpan(0, y.Length).Clear();
        double loss = 0;
        var logits = new float[T * C];
        var grad = new float[T * C];
        for (int b = 0; b < B; b++)
        {
            int n = lengths[b];
            for (int t = 0; t < n; t++) y.Slice((t * B + b) * C, C).CopyTo(logits.AsSpan(t * C, C));
            loss += CtcLoss<float>.Compute(logits.AsSpan(0, n * C), n, C, _data[items[b]].Labels, grad.AsSpan(0, n * C));
            for (int t = 0; t < n; t++)
                for (int k = 0; k < C; k++) _dy[(t * B + b) * C + k] = grad[t * C + k] / B;
        }
        return loss / B;
    }

    public void Backward() => _net.Backward(_ws, _dy.AsSpan(0, _outputs), Groups[0].Gradients);

    public (double Loss, double? Metric) Validate()
    {
        int F = _features, C = _net.Spec.OutputSize;
        double loss = 0;
        var pairs = new List<(int[], int[])>();
        foreach (var s in _validation!)
        {
            int n = s.Frames.Length / F;
            var y = _net.Forward(_ws, new SequenceBatch<float>(n, 1, F, s.Frames));
            loss += CtcLoss<float>.Compute(y, n, C, s.Labels, new float[n * C]);
            pairs.Add((s.Labels, CtcDecoder.Greedy(y, n, C)));
        }
        return (loss / _validation.Count, EditDistance.ErrorRate(pairs));
    }
}
