using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// One training sequence: features (Length·F values, time-major) or token ids (Length), and its target:
/// real values (O, or Length·O per step) or class indices (1, or Length per step).
/// </summary>
internal sealed class SequenceSample
{
    /// <summary>Length·F feature values, step after step.</summary>
    public float[]? Features { get; init; }

    /// <summary>Length·K token ids, step after step (K = the network's tokens per step).</summary>
    public int[]? Tokens { get; init; }

    /// <summary>Real targets: O values (many-to-one) or Length·O (many-to-many).</summary>
    public float[]? Target { get; init; }

    /// <summary>Class targets: 1 value (many-to-one) or Length (many-to-many).</summary>
    public int[]? Classes { get; init; }
}

/// <summary>A list of variable-length sequences with targets, checked against a network and loss.</summary>
internal sealed class SequenceDataset
{
    private readonly SequenceSample[] _samples;
    private readonly int[] _lengths;

    /// <summary>Creates the dataset; <see cref="Validate"/> checks it against a network.</summary>
    /// <param name="featuresPerStep">F for float features; K, the token ids per step, for token samples.</param>
    /// <param name="samples">The sequences.</param>
    public SequenceDataset(int featuresPerStep, IEnumerable<SequenceSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (featuresPerStep <= 0)
            throw new ArgumentOutOfRangeException(nameof(featuresPerStep), featuresPerStep, "featuresPerStep must be positive.");
        FeaturesPerStep = featuresPerStep;
        _samples = samples.ToArray();
        _lengths = new int[_samples.Length];
        for (int i = 0; i < _samples.Length; i++)
        {
            var s = _samples[i] ?? throw new ArgumentException($"Sample {i} is null.", nameof(samples));
            if (s.Tokens is not null)
            {
                if (s.Tokens.Length % featuresPerStep != 0)
                    throw new ArgumentException(
                        $"Sample {i} has {s.Tokens.Length} token ids, not a multiple of {featuresPerStep} ids per step.", nameof(samples));
                _lengths[i] = s.Tokens.Length / featuresPerStep;
            }
            else if (s.Features is not null)
            {
                if (s.Features.Length % featuresPerStep != 0)
                    throw new ArgumentException(
                        $"Sample {i} has {s.Features.Length} feature values, not a multiple of {featuresPerStep} features per step.",
                        nameof(samples));
                _lengths[i] = s.Features.Length / featuresPerStep;
            }
            else throw new ArgumentException($"Sample {i} has neither features nor tokens.", nameof(samples));
            if (_lengths[i] == 0) throw new ArgumentException($"Sample {i} is an empty sequence.", nameof(samples));
        }
    }

    /// <summary>F, or K for token samples.</summary>
    public int FeaturesPerStep { get; }

    /// <summary>Number of sequences.</summary>
    public int Count => _samples.Length;

    /// <summary>The samples, in order.</summary>
    public IReadOnlyList<SequenceSample> Samples => _samples;

    /// <summary>Sample i.</summary>
    public SequenceSample this[int i] => _samples[i];

    /// <summary>Length (steps) of sample i.</summary>
    public int Length(int i) => _lengths[i];

    /// <summary>The samples at the given indices, as a new dataset.</summary>
    public SequenceDataset Subset(IEnumerable<int> indices) => new(FeaturesPerStep, indices.Select(i => _samples[i]));

    /// <summary>Throws <see cref="ArgumentException"/> naming the first sample that does not fit.</summary>
    public void Validate(LstmNetworkSpec spec, LossKind loss)
    {
        ArgumentNullException.ThrowIfNull(spec);
        CheckFeaturesPerStep(FeaturesPerStep, spec);
        for (int i = 0; i < Count; i++) CheckSample(spec, loss, FeaturesPerStep, _samples[i], _lengths[i], i);
    }

    /// <summary>Throws unless samples of <paramref name="featuresPerStep"/> values or ids per step fit <paramref name="spec"/>.</summary>
    public static void CheckFeaturesPerStep(int featuresPerStep, LstmNetworkSpec spec)
    {
        bool tokens = spec.VocabularySize > 0;
        if (!tokens && featuresPerStep != spec.InputSize)
            throw new ArgumentException($"The data has {featuresPerStep} features per step; the network expects {spec.InputSize}.", "data");
        if (tokens && featuresPerStep != spec.TokensPerStep)
            throw new ArgumentException($"The data has {featuresPerStep} token ids per step; the network expects {spec.TokensPerStep}.",
                "data");
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming sample <paramref name="i"/> unless it fits the network and loss: its
    /// kind of input, finite features, token ids in the vocabulary, and as many finite targets or valid classes as needed.
    /// </summary>
    /// <param name="spec">The network.</param>
    /// <param name="loss">The loss (class or real targets).</param>
    /// <param name="featuresPerStep">F, or K for token samples.</param>
    /// <param name="s">The sample.</param>
    /// <param name="len">Its length in steps.</param>
    /// <param name="i">Its index in the messages.</param>
    public static void CheckSample(LstmNetworkSpec spec, LossKind loss, int featuresPerStep, SequenceSample s, int len, long i)
    {
        bool tokens = spec.VocabularySize > 0, perStep = spec.Head == HeadKind.ManyToMany, classes = loss == LossKind.SoftmaxCrossEntropy;
        int O = spec.OutputSize;
        if (tokens != (s.Tokens is not null))
            throw new ArgumentException($"Sample {i}: the network expects {(tokens ? "token ids" : "float features")}.", "data");
        if (s.Features is not null)
            for (int k = 0; k < s.Features.Length; k++)
                if (!float.IsFinite(s.Features[k]))
                    throw new ArgumentException(
                        $"Sample {i} has a non-finite feature ({s.Features[k]}) at step {k / featuresPerStep}, feature " +
                        $"{k % featuresPerStep}.",
                        "data");
        if (s.Tokens is not null)
            foreach (int id in s.Tokens)
                if ((uint)id >= (uint)spec.VocabularySize)
                    throw new ArgumentException($"Sample {i} has token id {id} outside the vocabulary 0..{spec.VocabularySize - 1}.",
                        "data");
        if (classes)
        {
            int need = perStep ? len : 1;
            if (s.Classes is null || s.Classes.Length != need)
                throw new ArgumentException($"Sample {i} needs {need} class label(s), has {s.Classes?.Length ?? 0}.", "data");
            foreach (int c in s.Classes)
                if ((uint)c >= (uint)O) throw new ArgumentException($"Sample {i} has class {c}; expected 0..{O - 1}.", "data");
        }
        else
        {
            int need = perStep ? len * O : O;
            if (s.Target is null || s.Target.Length != need)
                throw new ArgumentException($"Sample {i} needs {need} target value(s), has {s.Target?.Length ?? 0}.", "data");
            foreach (float v in s.Target)
                if (!float.IsFinite(v)) throw new ArgumentException($"Sample {i} has a non-finite target ({v}).", "data");
        }
    }
}
