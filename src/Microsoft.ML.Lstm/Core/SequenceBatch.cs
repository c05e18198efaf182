using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// A padded, time-major batch of B sequences of at most T steps (layout in <see cref="LstmLayout"/>),
/// with optional initial states.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class SequenceBatch<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private int[] _allSteps = [];   // the lengths when none are given, reused by Reset

    /// <summary>Creates a batch; arrays are used as given (not copied). Call <see cref="Validate"/> before use.</summary>
    /// <param name="steps">T, the padded length.</param>
    /// <param name="batchSize">B.</param>
    /// <param name="features">Values per step: floats, or token ids (K) for token batches.</param>
    /// <param name="inputs">[T × B × features] float features, or null for token input.</param>
    /// <param name="tokens">[T × B × K] token ids, or null for float input.</param>
    /// <param name="lengths">Valid steps per sample, 1..T; null means all T.</param>
    public SequenceBatch(int steps, int batchSize, int features, T[]? inputs, int[]? tokens = null, int[]? lengths = null) =>
        Reset(steps, batchSize, features, inputs, tokens, lengths);

    /// <summary>
    /// Points this batch at new data, as a new batch with these arguments would be, without allocating when
    /// <paramref name="lengths"/> is given or B is unchanged: callers that score or train batch after batch
    /// (one row of a prediction engine, say) reuse one batch object. The initial states become null. Do not
    /// reset a batch between a forward pass on it and the matching backward pass.
    /// </summary>
    /// <param name="steps">T, the padded length.</param>
    /// <param name="batchSize">B.</param>
    /// <param name="features">Values per step: floats, or token ids (K) for token batches.</param>
    /// <param name="inputs">[T × B × features] float features, or null for token input.</param>
    /// <param name="tokens">[T × B × K] token ids, or null for float input.</param>
    /// <param name="lengths">Valid steps per sample, 1..T; null means all T, in an array this batch owns and
    /// rewrites on the next reset.</param>
    [MemberNotNull(nameof(Lengths))]
    public void Reset(int steps, int batchSize, int features, T[]? inputs, int[]? tokens = null, int[]? lengths = null)
    {
        Steps = steps;
        BatchSize = batchSize;
        Features = features;
        Inputs = inputs;
        Tokens = tokens;
        InitialHidden = InitialCell = null;
        if (lengths is null)
        {
            if (_allSteps.Length != Math.Max(0, batchSize)) _allSteps = new int[Math.Max(0, batchSize)];
            _allSteps.AsSpan().Fill(steps);
            lengths = _allSteps;
        }
        Lengths = lengths;
    }

    /// <summary>T.</summary>
    public int Steps { get; private set; }

    /// <summary>B.</summary>
    public int BatchSize { get; private set; }

    /// <summary>Values per step of <see cref="Inputs"/>, or token ids per step (K) of <see cref="Tokens"/>.</summary>
    public int Features { get; private set; }

    /// <summary>[T × B × Features] features (float input).</summary>
    public T[]? Inputs { get; private set; }

    /// <summary>[T × B × K] token ids (embedding input).</summary>
    public int[]? Tokens { get; private set; }

    /// <summary>Valid steps per sample.</summary>
    public int[] Lengths { get; private set; }

    /// <summary>Initial hidden state [L·D × B × H]; null means zeros.</summary>
    public T[]? InitialHidden { get; set; }

    /// <summary>Initial cell state [L·D × B × H]; null means zeros.</summary>
    public T[]? InitialCell { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming what does not fit <paramref name="spec"/>.</summary>
    public void Validate(LstmNetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (BatchSize <= 0) throw new ArgumentException($"The batch is empty (batch size {BatchSize}).", "batchSize");
        if (Steps <= 0) throw new ArgumentException($"Sequences must have at least one step (steps = {Steps}).", "steps");
        if (Lengths.Length != BatchSize)
            throw new ArgumentException($"lengths has {Lengths.Length} entries for a batch of {BatchSize}.", "lengths");
        for (int b = 0; b < BatchSize; b++)
            if (Lengths[b] < 1 || Lengths[b] > Steps)
                throw new ArgumentException($"lengths[{b}] = {Lengths[b]} is outside 1..{Steps}.", "lengths");
        if (spec.VocabularySize > 0) ValidateTokens(spec.VocabularySize, spec.TokensPerStep);
        else ValidateInputs(spec.InputSize);
        int stateLength = spec.NumberOfLayers * spec.Directions * BatchSize * spec.HiddenSize;
        ValidateState(InitialHidden, stateLength, nameof(InitialHidden));
        ValidateState(InitialCell, stateLength, nameof(InitialCell));
    }

    private void ValidateInputs(int inputSize)
    {
        if (Tokens is not null) throw new ArgumentException("The network takes float features but the batch holds tokens.", "tokens");
        if (Inputs is null) throw new ArgumentNullException("inputs", "The batch has no inputs.");
        if (Features != inputSize)
            throw new ArgumentException($"The batch has {Features} features per step; the network expects {inputSize}.", "features");
        long need = (long)Steps * BatchSize * Features;
        if (Inputs.Length < need) throw new ArgumentException($"inputs has {Inputs.Length} values; T·B·F = {need}.", "inputs");
        // Fast path: the padded steps of a batch may hold anything, but a batch whose values are all finite needs no per-row walk.
        if (MatrixOps.AllFinite<T>(Inputs.AsSpan(0, (int)need))) return;
        for (int t = 0; t < Steps; t++)
            for (int b = 0; b < BatchSize; b++)
            {
                if (t >= Lengths[b]) continue;
                var row = Inputs.AsSpan((t * BatchSize + b) * Features, Features);
                for (int f = 0; f < Features; f++)
                    if (!T.IsFinite(row[f]))
                        throw new ArgumentException($"inputs holds a non-finite value ({row[f]}) at sample {b}, step {t}, feature {f}.",
                            "inputs");
            }
    }

    private void ValidateTokens(int vocabulary, int perStep)
    {
        if (Tokens is null) throw new ArgumentNullException("tokens", "The network takes token ids but the batch has none.");
        if (Features != perStep)
            throw new ArgumentException($"The batch has {Features} token ids per step; the network expects {perStep}.", "features");
        if (Tokens.Length < (long)Steps * BatchSize * perStep)
            throw new ArgumentException($"tokens has {Tokens.Length} ids; T·B·K = {(long)Steps * BatchSize * perStep}.", "tokens");
        for (int t = 0; t < Steps; t++)
            for (int b = 0; b < BatchSize; b++)
            {
                if (t >= Lengths[b]) continue;
                for (int k = 0; k < perStep; k++)
                {
                    int id = Tokens[(t * BatchSize + b) * perStep + k];
                    if ((uint)id >= (uint)vocabulary)
                        throw new ArgumentException(
                            $"tokens[{b}, step {t}{(perStep > 1 ? $", id {k}" : "")}] = {id} is outside the vocabulary " +
                            $"0..{vocabulary - 1}.",
                            "tokens");
                }
            }
    }

    private static void ValidateState(T[]? state, int length, string name)
    {
        if (state is null) return;
        if (state.Length != length) throw new ArgumentException($"{name} has {state.Length} values; L·D·B·H = {length}.", name);
        for (int i = 0; i < state.Length; i++)
            if (!T.IsFinite(state[i])) throw new ArgumentException($"{name} holds a non-finite value at index {i}.", name);
    }
}
