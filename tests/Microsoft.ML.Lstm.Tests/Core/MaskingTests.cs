using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Kernels;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>
/// Variable-length batches (semantics in <see cref="LstmLayout"/>): a padded batch must behave exactly like
/// running every sequence alone at its own length, and padded steps must be inert.
/// </summary>
public class MaskingTests
{
    private const int Features = 3, Hidden = 5, Outputs = 2, Vocabulary = 6;

    // Includes a length-1 sample and no sample of full length, so the last padded step is padded everywhere.
    private static readonly int[] Lengths = [5, 2, 7, 1, 4];
    private const int Steps = 8;

    public static TheoryData<int, bool, object, bool, bool, int> Cases()
    {
        // layers, bidirectional, head, initial state, final-state gradients, vocabulary
        var data = new TheoryData<int, bool, object, bool, bool, int>();
        foreach (int layers in new[] { 1, 2 })
            foreach (bool bi in new[] { false, true })
                foreach (var head in new[] { HeadKind.ManyToOne, HeadKind.ManyToMany })
                    foreach (bool init in new[] { false, true })
                        data.Add(layers, bi, head, init, init == bi, 0);
        data.Add(2, true, HeadKind.ManyToMany, true, true, Vocabulary);
        data.Add(1, false, HeadKind.ManyToOne, false, false, Vocabulary);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PaddedBatch_MatchesEachSequenceAlone_Double(int layers, bool bi,
        object head, bool initialState, bool finalStateGrads, int vocab) =>
        PaddedBatchMatchesSingles<double>(Spec(layers, bi, head, vocab), initialState, finalStateGrads, tolerance: 1e-12);

    [Theory]
    [MemberData(nameof(Cases))]
    public void PaddedBatch_MatchesEachSequenceAlone_Float(int layers, bool bi,
        object head, bool initialState, bool finalStateGrads, int vocab) =>
        PaddedBatchMatchesSingles<float>(Spec(layers, bi, head, vocab), initialState, finalStateGrads, tolerance: 1e-5);

    [Theory]
    [InlineData(1, false, HeadKind.ManyToOne, 0, false)]
    [InlineData(2, true, HeadKind.ManyToMany, 0, false)]
    [InlineData(2, true, HeadKind.ManyToOne, 0, true)]
    [InlineData(2, false, HeadKind.ManyToMany, 0, true)]
    [InlineData(2, true, HeadKind.ManyToMany, Vocabulary, false)]
    [InlineData(1, true, HeadKind.ManyToOne, Vocabulary, true)]
    public void PaddedValues_ChangeNothing_BitIdentical(int layers, bool bi, object head, int vocab, bool useFloat)
    {
        if (useFloat) PaddedValuesChangeNothing<float>(Spec(layers, bi, head, vocab));
        else PaddedValuesChangeNothing<double>(Spec(layers, bi, head, vocab));
    }

    [Theory]
    [InlineData(PoolingKind.Mean, 1, false, 0)]
    [InlineData(PoolingKind.Mean, 2, true, Vocabulary)]
    [InlineData(PoolingKind.Max, 1, true, 0)]
    [InlineData(PoolingKind.Max, 2, false, Vocabulary)]
    [InlineData(PoolingKind.Attention, 1, false, 0)]
    [InlineData(PoolingKind.Attention, 2, true, Vocabulary)]
    public void PooledHeads_PaddedBatch_MatchesEachSequenceAlone_AndPaddedValuesChangeNothing(object pooling, int layers, bool bi,
        int vocab)
    {
        var spec = Spec(layers, bi, HeadKind.ManyToOne, vocab) with { Pooling = (PoolingKind)pooling };
        PaddedBatchMatchesSingles<double>(spec, initialState: bi, finalStateGrads: bi, tolerance: 1e-12);
        PaddedBatchMatchesSingles<float>(spec, initialState: !bi, finalStateGrads: false, tolerance: 1e-5);
        PaddedValuesChangeNothing<double>(spec);
        PaddedValuesChangeNothing<float>(spec);
    }

    private static LstmNetworkSpec Spec(int layers, bool bi, object head, int vocab) => new()
    {
        InputSize = Features, HiddenSize = Hidden, NumberOfLayers = layers, Bidirectional = bi,
        Head = (HeadKind)head, OutputSize = Outputs, VocabularySize = vocab,
    };

    private static void PaddedBatchMatchesSingles<T>(LstmNetworkSpec spec, bool initialState, bool finalStateGrads, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int B = Lengths.Length, H = spec.HiddenSize, O = spec.OutputSize, F = spec.InputSize, LD = spec.NumberOfLayers * spec.Directions;
        bool m2m = spec.Head == HeadKind.ManyToMany;
        var net = LstmTestKit.CreateNetwork<T>(spec, seed: 5);
        var ws = net.CreateWorkspace();   // reused for every run below: buffers shrink and grow between runs
        var rng = new Rng(99);

        // Leave nonzero activations everywhere in the workspace's buffers first: padded steps must not read stale values.
        var full = LstmTestKit.RandomBatch<T>(spec, Steps, Enumerable.Repeat(Steps, B).ToArray(), rng, initialState: true);
        LstmTestKit.Run(net, ws, full, LstmTestKit.Gaussian<T>(rng, (m2m ? Steps * B : B) * O));

        var batch = LstmTestKit.RandomBatch<T>(spec, Steps, Lengths, rng, initialState);
        var dOut = LstmTestKit.Gaussian<T>(rng, (m2m ? Steps * B : B) * O);   // padded rows hold garbage too
        var dHn = finalStateGrads ? LstmTestKit.Gaussian<T>(rng, LD * B * H) : null;
        var dCn = finalStateGrads ? LstmTestKit.Gaussian<T>(rng, LD * B * H) : null;
        var whole = LstmTestKit.Run(net, ws, batch, dOut, dHn, dCn);

        var gradSum = new double[net.Parameters.Count];
        for (int b = 0; b < B; b++)
        {
            int len = Lengths[b];
            string at = $"sample {b} (length {len})";
            var single = new SequenceBatch<T>(len, 1, batch.Tokens is null ? F : 1,
                batch.Inputs is null ? null : LstmTestKit.Column(batch.Inputs, b, B, len, F),
                batch.Tokens is null ? null : LstmTestKit.Column(batch.Tokens, b, B, len, 1))
            {
                InitialHidden = batch.InitialHidden is null ? null : LstmTestKit.Column(batch.InitialHidden, b, B, LD, H),
                InitialCell = batch.InitialCell is null ? null : LstmTestKit.Column(batch.InitialCell, b, B, LD, H),
            };
            int outSteps = m2m ? len : 1;
            var alone = LstmTestKit.Run(net, ws, single, LstmTestKit.Column(dOut, b, B, outSteps, O),
                dHn is null ? null : LstmTestKit.Column(dHn, b, B, LD, H),
                dCn is null ? null : LstmTestKit.Column(dCn, b, B, LD, H));

            LstmTestKit.AssertClose<T>(alone.Output, LstmTestKit.Column(whole.Output, b, B, outSteps, O), tolerance, $"output of {at}");
            LstmTestKit.AssertClose<T>(alone.FinalHidden, LstmTestKit.Column(whole.FinalHidden, b, B, LD, H), tolerance, $"h_n of {at}");
            LstmTestKit.AssertClose<T>(alone.FinalCell, LstmTestKit.Column(whole.FinalCell, b, B, LD, H), tolerance, $"c_n of {at}");
            LstmTestKit.AssertClose<T>(alone.InputGradient,
                LstmTestKit.Column(whole.InputGradient, b, B, len, F), tolerance, $"dL/dx of {at}");
            LstmTestKit.AssertClose<T>(alone.InitialHiddenGradient,
                LstmTestKit.Column(whole.InitialHiddenGradient, b, B, LD, H), tolerance, $"dL/dh0 of {at}");
            LstmTestKit.AssertClose<T>(alone.InitialCellGradient,
                LstmTestKit.Column(whole.InitialCellGradient, b, B, LD, H), tolerance, $"dL/dc0 of {at}");
            for (int i = 0; i < gradSum.Length; i++) gradSum[i] += double.CreateChecked(alone.ParameterGradient[i]);

            // Padded steps: output exactly 0 (despite the head bias) and no gradient reaches the padded inputs.
            for (int t = len; t < Steps; t++)
            {
                if (m2m) AssertZero<T>(whole.Output.AsSpan((t * B + b) * O, O), $"output of {at}, padded step {t}");
                AssertZero<T>(whole.InputGradient.AsSpan((t * B + b) * F, F), $"dL/dx of {at}, padded step {t}");
            }
        }

        var batchGrad = whole.ParameterGradient.Select(double.CreateChecked).ToArray();
        foreach (var slot in net.Parameters.Slots)
            LstmTestKit.AssertClose<double>(gradSum.AsSpan(slot.Offset, slot.Length), batchGrad.AsSpan(slot.Offset, slot.Length), tolerance,
                $"dL/d{slot.Name} (batch vs sum over samples)");
    }

    private static void PaddedValuesChangeNothing<T>(LstmNetworkSpec spec) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int B = Lengths.Length, O = spec.OutputSize, stateLen = spec.NumberOfLayers * spec.Directions * B * spec.HiddenSize;
        var net = LstmTestKit.CreateNetwork<T>(spec, seed: 8);
        var rng = new Rng(123);
        var clean = LstmTestKit.RandomBatch<T>(spec, Steps, Lengths, rng, initialState: true);
        int rows = spec.Head == HeadKind.ManyToMany ? Steps * B : B;
        var dOut = LstmTestKit.Gaussian<T>(rng, rows * O);
        var dHn = LstmTestKit.Gaussian<T>(rng, stateLen);
        var dCn = LstmTestKit.Gaussian<T>(rng, stateLen);
        bool Padded(int t, int b) => t >= Lengths[b];

        // Reference: padded inputs and padded rows of dOutput are 0.
        ForPadded(clean, Padded, i => { if (clean.Inputs is not null) clean.Inputs[i] = T.Zero; else clean.Tokens![i] = 0; });
        var dOutClean = (T[])dOut.Clone();
        if (spec.Head == HeadKind.ManyToMany) ClearPaddedRows(dOutClean, B, O, Padded);
        var reference = LstmTestKit.Run(net, net.CreateWorkspace(), clean, dOutClean, dHn, dCn);

        // Large finite garbage (features) or ids outside the vocabulary (tokens) at padded steps; garbage in
        // the padded rows of dOutput.
        var garbage = Variant(clean, _ => T.CreateChecked(1e4 * (rng.NextDouble() - 0.5)),
            k => k % 2 == 0 ? -1 - k : spec.VocabularySize + k);
        LstmTestKit.AssertBitIdentical(reference,
            LstmTestKit.Run(net, net.CreateWorkspace(), garbage, dOut, dHn, dCn), "large values at padded steps");

        // Non-finite padded inputs: validation accepts them (only valid steps are checked), so they must be inert too.
        var nonFinite = Variant(clean,
            k => (k % 3) switch { 0 => T.NaN, 1 => T.PositiveInfinity, _ => T.NegativeInfinity }, k => int.MaxValue - k);
        LstmTestKit.AssertBitIdentical(reference,
            LstmTestKit.Run(net, net.CreateWorkspace(), nonFinite, dOut, dHn, dCn), "NaN/±Infinity at padded steps");
    }

    /// <summary>A copy of <paramref name="batch"/> whose k-th padded feature (or token) is replaced by feature(k) (token(k)).</summary>
    private static SequenceBatch<T> Variant<T>(SequenceBatch<T> batch, Func<int, T> feature, Func<int, int> token)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = (T[]?)batch.Inputs?.Clone();
        var tokens = (int[]?)batch.Tokens?.Clone();
        var v = new SequenceBatch<T>(batch.Steps, batch.BatchSize, batch.Features, x, tokens, batch.Lengths)
        {
            InitialHidden = batch.InitialHidden,
            InitialCell = batch.InitialCell,
        };
        int k = 0;
        ForPadded(v, (t, b) => t >= batch.Lengths[b], i =>
        {
            if (x is not null) x[i] = feature(k++);
            else tokens![i] = token(k++);
        });
        Assert.True(k > 0);
        return v;
    }

    /// <summary>Calls <paramref name="action"/>(index) for every padded element of the batch's inputs or tokens.</summary>
    private static void ForPadded<T>(SequenceBatch<T> batch, Func<int, int, bool> padded, Action<int> action)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = batch.Tokens is not null ? 1 : batch.Features, B = batch.BatchSize;
        for (int t = 0; t < batch.Steps; t++)
            for (int b = 0; b < B; b++)
                if (padded(t, b))
                    for (int f = 0; f < width; f++) action((t * B + b) * width + f);
    }

    private static void ClearPaddedRows<T>(T[] rows, int batch, int width, Func<int, int, bool> padded)
    {
        for (int r = 0; r < rows.Length / width; r++)
            if (padded(r / batch, r % batch)) rows.AsSpan(r * width, width).Clear();
    }

    private static void AssertZero<T>(ReadOnlySpan<T> values, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
            Assert.True(values[i] == T.Zero, $"{what}[{i}] = {values[i]}, expected exactly 0.");
    }
}

/// <summary>Everything one forward + backward pass produces.</summary>
internal sealed record PassResult<T>(T[] Output, T[] FinalHidden, T[] FinalCell, T[] ParameterGradient, T[] InputGradient,
    T[] InitialHiddenGradient, T[] InitialCellGradient) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>Small helpers shared by the masking, determinism and bad-argument tests.</summary>
internal static class LstmTestKit
{
    /// <summary>A seeded network whose parameters are moved off their initial values (nonzero biases everywhere).</summary>
    public static LstmNetwork<T> CreateNetwork<T>(LstmNetworkSpec spec, ulong seed, int threads = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var net = new LstmNetwork<T>(spec, new ComputeContext<T>(threads));
        net.Initialize(seed);
        var rng = new Rng(seed + 1);
        var w = net.Parameters.Values;
        for (int i = 0; i < w.Length; i++) w[i] += T.CreateChecked(0.2 * (rng.NextDouble() - 0.5));
        return net;
    }

    public static T[] Gaussian<T>(Rng rng, int count, double scale = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = new T[count];
        for (int i = 0; i < count; i++) a[i] = T.CreateChecked(scale * rng.NextGaussian());
        return a;
    }

    /// <summary>Random features (or token ids) at every step, padded ones included, and optional initial states.</summary>
    public static SequenceBatch<T> RandomBatch<T>(LstmNetworkSpec spec, int steps, int[] lengths, Rng rng, bool initialState)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int B = lengths.Length, stateLen = spec.NumberOfLayers * spec.Directions * B * spec.HiddenSize;
        var batch = spec.VocabularySize > 0
            ? new SequenceBatch<T>(steps, B, 1, null,
                Enumerable.Range(0, steps * B).Select(_ => rng.NextInt(spec.VocabularySize)).ToArray(), lengths)
            : new SequenceBatch<T>(steps, B, spec.InputSize, Gaussian<T>(rng, steps * B * spec.InputSize), null, lengths);
        if (initialState)
        {
            batch.InitialHidden = Gaussian<T>(rng, stateLen, 0.5);
            batch.InitialCell = Gaussian<T>(rng, stateLen, 0.5);
        }
        return batch;
    }

    /// <summary>Forward then backward; copies every result out of the workspace.</summary>
    public static PassResult<T> Run<T>(LstmNetwork<T> net, LstmWorkspace<T> ws, SequenceBatch<T> batch, T[] dOutput,
        T[]? dFinalHidden = null, T[]? dFinalCell = null, bool training = false, ulong dropoutSeed = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = net.Forward(ws, batch, training, dropoutSeed).ToArray();
        var finalH = ws.FinalHidden.ToArray();
        var finalC = ws.FinalCell.ToArray();
        var grads = net.Parameters.ZerosLike();
        net.Backward(ws, dOutput, grads, dFinalHidden, dFinalCell);
        return new PassResult<T>(output, finalH, finalC, grads.Values, ws.InputGradient.ToArray(),
            ws.InitialHiddenGradient.ToArray(), ws.InitialCellGradient.ToArray());
    }

    /// <summary>
    /// Sample <paramref name="b"/>'s rows of a time-major [count × batch × width] array (sequences, per-step
    /// outputs, or [L·D × B × H] states) as a [count × 1 × width] array.
    /// </summary>
    public static TE[] Column<TE>(TE[] a, int b, int batch, int count, int width)
    {
        var r = new TE[count * width];
        for (int s = 0; s < count; s++) Array.Copy(a, (s * batch + b) * width, r, s * width, width);
        return r;
    }

    /// <summary>max |a − e| ≤ tolerance · max(|e|, |a|) over the tensor (relative to the tensor's scale).</summary>
    public static void AssertClose<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}.");
        double scale = 0, worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = double.CreateChecked(expected[i]), a = double.CreateChecked(actual[i]);
            Assert.True(double.IsFinite(e) && double.IsFinite(a), $"{what}[{i}]: {a} vs expected {e}.");
            scale = Math.Max(scale, Math.Max(Math.Abs(e), Math.Abs(a)));
            if (Math.Abs(a - e) > worst) { worst = Math.Abs(a - e); worstAt = i; }
        }
        Assert.True(worst <= tolerance * scale,
            $"{what}: max |difference| {worst:E3} at [{worstAt}] exceeds {tolerance:E0} × scale {scale:E3} " +
            $"(actual {(worstAt < 0 ? "" : actual[worstAt])}, expected {(worstAt < 0 ? "" : expected[worstAt])}).");
    }

    /// <summary>The same bits in the same places (NaN payloads and signed zeros included).</summary>
    public static void AssertBitIdentical<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what) where T : unmanaged
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}.");
        if (MemoryMarshal.AsBytes(expected).SequenceEqual(MemoryMarshal.AsBytes(actual))) return;
        int i = 0;
        while (MemoryMarshal.AsBytes(expected.Slice(i, 1)).SequenceEqual(MemoryMarshal.AsBytes(actual.Slice(i, 1)))) i++;
        Assert.Fail($"{what} differs first at [{i}] of {expected.Length}: {actual[i]} vs expected {expected[i]}.");
    }

    public static void AssertBitIdentical<T>(PassResult<T> expected, PassResult<T> actual, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertBitIdentical<T>(expected.Output, actual.Output, $"{context}: output");
        AssertBitIdentical<T>(expected.FinalHidden, actual.FinalHidden, $"{context}: h_n");
        AssertBitIdentical<T>(expected.FinalCell, actual.FinalCell, $"{context}: c_n");
        AssertBitIdentical<T>(expected.ParameterGradient, actual.ParameterGradient, $"{context}: parameter gradient");
        AssertBitIdentical<T>(expected.InputGradient, actual.InputGradient, $"{context}: dL/dx");
        AssertBitIdentical<T>(expected.InitialHiddenGradient, actual.InitialHiddenGradient, $"{context}: dL/dh0");
        AssertBitIdentical<T>(expected.InitialCellGradient, actual.InitialCellGradient, $"{context}: dL/dc0");
    }
}
