using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// Packs samples of a <see cref="SequenceDataset"/> into padded time-major batches (layout in
/// <see cref="LstmLayout"/>) with loss targets and a valid-row mask.
/// </summary>
internal sealed class BatchBuilder
{
    private readonly LstmNetworkSpec _spec;
    private readonly bool _classes;

    public BatchBuilder(LstmNetworkSpec spec, LossKind loss)
    {
        _spec = spec;
        _classes = loss == LossKind.SoftmaxCrossEntropy;
    }

    /// <summary>The batch, its targets, and which head-output rows count.</summary>
    public (SequenceBatch<float> Batch, LossTargets<float> Targets, bool[] Valid) Build(SequenceDataset data, ReadOnlySpan<int> indices)
    {
        int B = indices.Length, F = data.FeaturesPerStep, O = _spec.OutputSize;
        var lengths = new int[B];
        int steps = 0;
        for (int b = 0; b < B; b++) { lengths[b] = data.Length(indices[b]); steps = Math.Max(steps, lengths[b]); }
        bool tokens = _spec.VocabularySize > 0, perStep = _spec.Head == HeadKind.ManyToMany;
        var x = tokens ? null : new float[steps * B * F];
        var ids = tokens ? new int[steps * B] : null;
        int rows = perStep ? steps * B : B;
        var values = _classes ? null : new float[rows * O];
        var classes = _classes ? new int[rows] : null;
        var valid = new bool[rows];
        for (int b = 0; b < B; b++)
        {
            var s = data[indices[b]];
            for (int t = 0; t < lengths[b]; t++)
            {
                if (tokens) ids![t * B + b] = s.Tokens![t];
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
        var batch = new SequenceBatch<float>(steps, B, tokens ? 1 : F, x, ids, lengths);
        return (batch, new LossTargets<float>(values, classes), valid);
    }
}
