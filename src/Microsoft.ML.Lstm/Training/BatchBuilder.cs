using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// Packs sequence samples (those of a <see cref="SequenceDataset"/>, or read from a stream) into padded time-major batches (layout in
/// <see cref="LstmLayout"/>) with loss targets and a valid-row mask. The batch, its arrays and the targets
/// are reused from one call to the next (they grow to the largest batch seen), so a result is valid only
/// until the next <see cref="Build"/>.
/// </summary>
internal sealed class BatchBuilder
{
    private readonly LstmNetworkSpec _spec;
    private readonly bool _classes;
    private readonly SequenceBatch<float> _batch = new(1, 1, 1, null);
    private LossTargets<float> _targets = new(null);
    private float[] _x = [], _values = [];
    private int[] _ids = [], _classIds = [], _lengths = [];
    private bool[] _valid = [];

    public BatchBuilder(LstmNetworkSpec spec, LossKind loss)
    {
        _spec = spec;
        _classes = loss == LossKind.SoftmaxCrossEntropy;
    }

    /// <summary>The batch of <paramref name="samples"/> (checked sequences of <paramref name="featuresPerStep"/> values or ids per
    /// step), its targets, and which head-output rows count.</summary>
    public (SequenceBatch<float> Batch, LossTargets<float> Targets,
        ArraySegment<bool> Valid) Build(int featuresPerStep, ReadOnlySpan<SequenceSample> samples)
    {
        int B = samples.Length, F = featuresPerStep, O = _spec.OutputSize;
        if (_lengths.Length != B) _lengths = new int[B];
        int steps = 0;
        for (int b = 0; b < B; b++)
        {
            _lengths[b] = (samples[b].Tokens?.Length ?? samples[b].Features!.Length) / F;
            steps = Math.Max(steps, _lengths[b]);
        }
        bool tokens = _spec.VocabularySize > 0, perStep = _spec.Head == HeadKind.ManyToMany;
        int rows = perStep ? steps * B : B;
        var x = tokens ? null : Cleared(ref _x, steps * B * F);
        var ids = tokens ? Cleared(ref _ids, steps * B * F) : null;   // F = K token ids per step
        var values = _classes ? null : Cleared(ref _values, rows * O);
        var classes = _classes ? Cleared(ref _classIds, rows) : null;
        var valid = Cleared(ref _valid, rows);
        if (_targets.Values != values || _targets.Classes != classes) _targets = new LossTargets<float>(values, classes);
        for (int b = 0; b < B; b++)
        {
            var s = samples[b];
            for (int t = 0; t < _lengths[b]; t++)
            {
                if (tokens) s.Tokens.AsSpan(t * F, F).CopyTo(ids.AsSpan((t * B + b) * F, F));
                else s.Features.AsSpan(t * F, F).CopyTo(x.AsSpan((t * B + b) * F, F));
                if (!perStep) continue;
                int r = t * B + b;
                valid[r] = true;
                if (_classes) classes![r] = s.Classes![t];
                else s.Target.AsSpan(t * O, O).CopyTo(values.AsSpan(r * O, O));
            }
            if (perStep) continue;
            valid[b] = true;
            if (_classes) classes![b] = s.Classes![0];
            else s.Target.AsSpan(0, O).CopyTo(values.AsSpan(b * O, O));
        }
        _batch.Reset(steps, B, F, x, ids, _lengths);
        return (_batch, _targets, new ArraySegment<bool>(valid, 0, rows));
    }

    /// <summary>The first <paramref name="n"/> values of <paramref name="a"/>, grown if needed, set to default.</summary>
    private static T[] Cleared<T>(ref T[] a, int n)
    {
        if (a.Length < n) a = new T[n];
        else a.AsSpan(0, n).Clear();
        return a;
    }
}
