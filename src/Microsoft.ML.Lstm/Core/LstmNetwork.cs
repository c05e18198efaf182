using System.Numerics;
using Microsoft.ML.Lstm.Kernels;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// An LSTM network: optional embedding → L stacked (bi)directional LSTM layers with dropout between them
/// → dense head. Forward and full BPTT backward over padded variable-length batches. Layouts and gate
/// order in <see cref="LstmLayout"/>; architecture in <see cref="LstmNetworkSpec"/>.
/// </summary>
/// <typeparam name="T">float for training and inference, double for gradient checks.</typeparam>
internal sealed class LstmNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a network with zeroed parameters; call <see cref="Initialize"/> or load weights.</summary>
    public LstmNetwork(LstmNetworkSpec spec) : this(spec, null) { }

    /// <summary>As <see cref="LstmNetwork{T}(LstmNetworkSpec)"/>, on <paramref name="compute"/> (null: all cores, best kernels).</summary>
    internal LstmNetwork(LstmNetworkSpec spec, ComputeContext<T>? compute)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        Parameters = new ParameterSet<T>(spec.ParameterSlots());
        Compute = compute ?? new ComputeContext<T>();
    }

    /// <summary>The architecture.</summary>
    public LstmNetworkSpec Spec { get; }

    /// <summary>All weights, in the layout of <see cref="LstmNetworkSpec.ParameterSlots"/>.</summary>
    public ParameterSet<T> Parameters { get; }

    /// <summary>Kernels and thread count.</summary>
    internal ComputeContext<T> Compute { get; set; }

    /// <summary>
    /// Seeded initialization: Glorot-uniform W_ih, head W and attention W and v, orthogonal W_hh per gate block,
    /// forget-gate bias 1 (in b_ih), other biases 0, embedding N(0, 1).
    /// </summary>
    public void Initialize(ulong seed)
    {
        var rng = new Rng(seed);
        Parameters.Clear();
        foreach (var s in Parameters.Slots)
        {
            var w = Parameters.Values.AsSpan(s.Offset, s.Length);
            if (s.Name == "embedding") for (int i = 0; i < w.Length; i++) w[i] = T.CreateChecked(rng.NextGaussian());
            else if (s.Name.EndsWith(".W_ih", StringComparison.Ordinal) || s.Name is "head.W" or "pool.W" or "pool.v")
                WeightInit.GlorotUniform(w, s.Rows, s.Cols, rng);
            else if (s.Name.EndsWith(".W_hh", StringComparison.Ordinal))
                WeightInit.OrthogonalBlocks(w, LstmLayout.Gates, Spec.HiddenSize, Spec.HiddenSize, rng);
            else if (s.Name.EndsWith(".b_ih", StringComparison.Ordinal))
                w.Slice(LstmLayout.ForgetGate * Spec.HiddenSize, Spec.HiddenSize).Fill(T.One);
        }
    }

    /// <summary>A new workspace for this network (one per concurrent caller).</summary>
    public LstmWorkspace<T> CreateWorkspace() => new(Spec, name => Parameters.Slot(name).Offset);

    /// <summary>
    /// Forward pass. Returns the head outputs: [B × O] (many-to-one) or [T·B × O] (many-to-many, row t·B + b,
    /// 0 on padded steps). Dropout is applied only when <paramref name="training"/> is true, with masks fixed
    /// by <paramref name="dropoutSeed"/>. A single sequence (B = 1) runs on the calling thread: its steps are
    /// sequential and its products too small to pay for handing work to other threads.
    /// </summary>
    public ReadOnlySpan<T> Forward(LstmWorkspace<T> ws, SequenceBatch<T> batch, bool training = false, ulong dropoutSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(ws);
        ArgumentNullException.ThrowIfNull(batch);
        if (ws.Spec != Spec) throw new ArgumentException("The workspace was created for another network.", nameof(ws));
        batch.Validate(Spec);
        ws.Batch = batch;
        ws.HasForward = false;
        ws.ForwardBy = this;
        int Tn = batch.Steps, B = batch.BatchSize, H = Spec.HiddenSize, DH = Spec.LayerOutputSize, rows = Tn * B;
        int stateLen = Spec.NumberOfLayers * Spec.Directions * B * H;
        var w = Parameters.Values;
        var ctx = B == 1 ? Compute.Serial : Compute;
        MatrixOps.Ensure(ref ws.ZeroState, stateLen); // new arrays are zero and nothing writes to this one
        ws.H0 = batch.InitialHidden ?? ws.ZeroState;
        ws.C0 = batch.InitialCell ?? ws.ZeroState;
        MatrixOps.Ensure(ref ws.FinalH, stateLen);
        MatrixOps.Ensure(ref ws.FinalC, stateLen);
        ws.InputDropout = training && Spec.Dropout > 0;

        T[] input = ws.Input0 = Spec.VocabularySize > 0 ? Embed(ws, batch) : InertPadding(ws, batch);
        for (int l = 0; l < Spec.NumberOfLayers; l++)
        {
            if (l > 0) input = ws.InputDropout ? DropLayerInput(ws, l, rows * DH, dropoutSeed) : ws.LayerOutputs[l - 1];
            var outL = MatrixOps.Ensure(ref ws.LayerOutputs[l], (long)rows * DH);
            for (int d = 0; d < Spec.Directions; d++)
            {
                int stateOff = (l * Spec.Directions + d) * B * H;
                var dir = ws.Directions[l, d];
                dir.Forward(ctx, w, input, Tn, B, batch.Lengths, ws.H0, ws.C0, stateOff,
                    training ? Spec.RecurrentDropout : 0, dropoutSeed, outL, DH);
                for (int b = 0; b < B; b++)
                {
                    dir.FinalH(b).CopyTo(ws.FinalH.AsSpan(stateOff + b * H, H));
                    dir.FinalC(b).CopyTo(ws.FinalC.AsSpan(stateOff + b * H, H));
                }
            }
        }

        var (features, headRows) = HeadFeatures(ws, B, rows, ctx);
        ws.OutputRows = headRows;
        MatrixOps.Ensure(ref ws.Y, (long)headRows * Spec.OutputSize);
        ws.Head.Forward(ctx, w, features, headRows, ws.Y);
        if (Spec.Head == HeadKind.ManyToMany) ZeroPaddedRows(ws.Y, batch, Spec.OutputSize);
        ws.HasForward = true;
        return ws.Output;
    }

    /// <summary>
    /// Backward pass for the last <see cref="Forward"/> on <paramref name="ws"/>: overwrites
    /// <paramref name="gradients"/> with dL/dθ given dL/d(output) in <paramref name="dOutput"/> (the shape
    /// of the forward's output) and, optionally, dL/d(final states) [L·D × B × H]. Also fills the workspace's
    /// initial-state gradients and, when <see cref="LstmWorkspace{T}.ComputeInputGradient"/>, its input gradient.
    /// Consumes the stored activations.
    /// </summary>
    public void Backward(LstmWorkspace<T> ws, ReadOnlySpan<T> dOutput,
        ParameterSet<T> gradients, T[]? dFinalHidden = null, T[]? dFinalCell = null)
    {
        ArgumentNullException.ThrowIfNull(ws);
        ArgumentNullException.ThrowIfNull(gradients);
        if (ws.ForwardBy is not null && ws.ForwardBy != this)
            throw new ArgumentException("The workspace holds the forward pass of another network.", nameof(ws));
        if (!ws.HasForward || ws.Batch is null)
            throw new InvalidOperationException("Backward needs a Forward on this workspace first (and only one Backward per Forward).");
        if (gradients.Count != Parameters.Count)
            throw new ArgumentException("The gradient set does not match the network's parameters.", nameof(gradients));
        var batch = ws.Batch;
        int Tn = batch.Steps, B = batch.BatchSize, H = Spec.HiddenSize, DH = Spec.LayerOutputSize,
            rows = Tn * B, L = Spec.NumberOfLayers, D = Spec.Directions;
        int stateLen = L * D * B * H, yLen = ws.OutputRows * Spec.OutputSize;
        if (dOutput.Length != yLen)
            throw new ArgumentException($"dOutput has {dOutput.Length} values; the output has {yLen}.", nameof(dOutput));
        if (dFinalHidden is not null && dFinalHidden.Length != stateLen)
            throw new ArgumentException($"dFinalHidden must have {stateLen} values.", nameof(dFinalHidden));
        if (dFinalCell is not null && dFinalCell.Length != stateLen)
            throw new ArgumentException($"dFinalCell must have {stateLen} values.", nameof(dFinalCell));
        ws.HasForward = false;
        gradients.Clear();
        var w = Parameters.Values;
        var g = gradients.Values;
        bool perStep = Spec.Head == HeadKind.ManyToMany;

        var dy = MatrixOps.Ensure(ref ws.DY, yLen);
        dOutput.CopyTo(dy);
        if (perStep) ZeroPaddedRows(dy, batch, Spec.OutputSize);
        var (features, headRows) = HeadFeatures(ws, B, rows, ctx: null);
        var dFeatures = perStep ? MatrixOps.Ensure(ref ws.DOut, (long)rows * DH) : MatrixOps.Ensure(ref ws.DHead, (long)B * DH);
        ws.Head.Backward(Compute, w, features, headRows, dy, g, dFeatures);

        // dL/d(final h): any given final-state gradients plus, many-to-one on the final states, the head's (top layer);
        // a pooling over steps passes the head's gradient to every step of the top layer instead.
        MatrixOps.Ensure(ref ws.DHN, stateLen);
        ws.DHN.AsSpan(0, stateLen).Clear();
        if (dFinalHidden is not null) dFinalHidden.CopyTo(ws.DHN, 0);
        if (ws.Pooling is { } pooling)
            pooling.Backward(Compute, w, ws.LayerOutputs[L - 1], Tn, B, batch.Lengths, ws.DHead, g,
                MatrixOps.Ensure(ref ws.DOut, (long)rows * DH), ws.PoolingKeep);
        else if (!perStep)
            for (int b = 0; b < B; b++)
                for (int d = 0; d < D; d++)
                {
                    var src = ws.DHead.AsSpan(b * DH + d * H, H);
                    var dst = ws.DHN.AsSpan(((L - 1) * D + d) * B * H + b * H, H);
                    for (int j = 0; j < H; j++) dst[j] += src[j];
                }

        MatrixOps.Ensure(ref ws.DH0, stateLen);
        MatrixOps.Ensure(ref ws.DC0, stateLen);
        T[]? dOut = perStep || ws.Pooling is not null ? ws.DOut : null;   // dL/d(this layer's output) per step
        bool needDx0 = ws.ComputeInputGradient || Spec.VocabularySize > 0;
        ws.InputGradientComputed = needDx0;
        for (int l = L - 1; l >= 0; l--)
        {
            for (int d = 0; d < D; d++)
            {
                int stateOff = (l * D + d) * B * H;
                var dir = ws.Directions[l, d];
                dir.BackwardSweep(Compute, dOut, ws.DHN, dFinalCell);
                for (int b = 0; b < B; b++)
                {
                    dir.DH0(b).CopyTo(ws.DH0.AsSpan(stateOff + b * H, H));
                    dir.DC0(b).CopyTo(ws.DC0.AsSpan(stateOff + b * H, H));
                }
            }
            // dOut is consumed: it may now hold the layer's dropped input and then dL/dx.
            var x = l == 0 ? ws.Input0 : ws.InputDropout ? DroppedInput(ws, l, rows * DH) : ws.LayerOutputs[l - 1];
            for (int d = 0; d < D; d++) ws.Directions[l, d].WeightGradients(x, g);
            if (l == 0 && !needDx0) break;
            var dx = l == 0 ? MatrixOps.Ensure(ref ws.DX0, (long)rows * Spec.InputSize) : MatrixOps.Ensure(ref ws.DOut, (long)rows * DH);
            for (int d = 0; d < D; d++) ws.Directions[l, d].InputGradient(dx, accumulate: d > 0);
            if (l > 0 && ws.InputDropout)
                Dropout.ApplyKeepBits<T>(dx.AsSpan(0, rows * DH), ws.DropoutBits[l], Spec.Dropout, dx.AsSpan(0, rows * DH));
            dOut = dx;
        }
        if (Spec.VocabularySize > 0) Embedding.Backward(ws.DX0, batch, Spec.EmbeddingSize, g.AsSpan(Parameters.Slot("embedding").Offset));
    }

    private T[] Embed(LstmWorkspace<T> ws, SequenceBatch<T> batch)
    {
        var table = Parameters["embedding"];
        MatrixOps.Ensure(ref ws.Embedded, (long)batch.Steps * batch.BatchSize * Spec.InputSize);
        Embedding.Forward(table, batch, Spec.EmbeddingSize, ws.Embedded);
        return ws.Embedded;
    }

    /// <summary>
    /// The float inputs as the kernels may read them: the caller's array itself unless a padded step holds a
    /// non-finite value, and then a copy with padded steps zeroed. Finite values at padded steps are inert:
    /// a product row depends only on its own input row, the gates of padded rows are never read, and their
    /// dL/dz is 0, whose product with a finite value adds nothing to dW_ih (0 × NaN or ∞ would).
    /// </summary>
    private static T[] InertPadding(LstmWorkspace<T> ws, SequenceBatch<T> batch)
    {
        int Tn = batch.Steps, B = batch.BatchSize, F = batch.Features;
        var inputs = batch.Inputs!;
        if (!HasNonFinitePadding(batch)) return inputs;
        var x = MatrixOps.Ensure(ref ws.PaddedInput, (long)Tn * B * F);
        for (int t = 0; t < Tn; t++)
            for (int b = 0; b < B; b++)
            {
                var dst = x.AsSpan((t * B + b) * F, F);
                if (t < batch.Lengths[b]) inputs.AsSpan((t * B + b) * F, F).CopyTo(dst);
                else dst.Clear();
            }
        return x;
    }

    private static bool HasNonFinitePadding(SequenceBatch<T> batch)
    {
        int B = batch.BatchSize, F = batch.Features;
        for (int b = 0; b < B; b++)
            for (int t = batch.Lengths[b]; t < batch.Steps; t++)
                foreach (var v in batch.Inputs.AsSpan((t * B + b) * F, F))
                    if (!T.IsFinite(v)) return true;
        return false;
    }

    /// <summary>Draws the dropout mask on the input of layer <paramref name="layer"/> and applies it.</summary>
    private T[] DropLayerInput(LstmWorkspace<T> ws, int layer, int n, ulong seed)
    {
        var bits = MatrixOps.Ensure(ref ws.DropoutBits[layer], Dropout.KeepBitWords(n));
        Dropout.FillKeepBits(bits, n, Spec.Dropout, seed, Dropout.LayerStream(layer));
        return DroppedInput(ws, layer, n);
    }

    /// <summary>The input of layer <paramref name="layer"/> &gt; 0 as the LSTM saw it: the previous output ⊙ mask, in DOut.</summary>
    private T[] DroppedInput(LstmWorkspace<T> ws, int layer, int n)
    {
        var x = MatrixOps.Ensure(ref ws.DOut, n);
        Dropout.ApplyKeepBits<T>(ws.LayerOutputs[layer - 1].AsSpan(0, n), ws.DropoutBits[layer], Spec.Dropout, x.AsSpan(0, n));
        return x;
    }

    /// <summary>
    /// The head's input: every step of the top layer (many-to-many), or per sequence its pooling or final states, computed
    /// on <paramref name="ctx"/> (null: the ones the forward pass stored).
    /// </summary>
    private (T[] Features, int Rows) HeadFeatures(LstmWorkspace<T> ws, int batch, int rows, ComputeContext<T>? ctx)
    {
        if (Spec.Head == HeadKind.ManyToMany) return (ws.LayerOutputs[Spec.NumberOfLayers - 1], rows);
        int H = Spec.HiddenSize, DH = Spec.LayerOutputSize, top = Spec.NumberOfLayers - 1;
        MatrixOps.Ensure(ref ws.HeadFeatures, (long)batch * DH);
        if (ctx is not null && ws.Pooling is { } pooling)
            pooling.Forward(ctx, Parameters.Values, ws.LayerOutputs[top], ws.Batch!.Steps, batch, ws.Batch.Lengths, ws.HeadFeatures,
                ws.PoolingKeep);
        else if (ctx is not null)
            for (int b = 0; b < batch; b++)
                for (int d = 0; d < Spec.Directions; d++)
                    ws.Directions[top, d].FinalH(b).CopyTo(ws.HeadFeatures.AsSpan(b * DH + d * H, H));
        return (ws.HeadFeatures, batch);
    }

    private static void ZeroPaddedRows(T[] y, SequenceBatch<T> batch, int width)
    {
        for (int t = 0; t < batch.Steps; t++)
            for (int b = 0; b < batch.BatchSize; b++)
                if (t >= batch.Lengths[b]) y.AsSpan((t * batch.BatchSize + b) * width, width).Clear();
    }
}
