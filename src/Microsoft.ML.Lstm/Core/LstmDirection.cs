using System.Numerics;
using Microsoft.ML.Lstm.Kernels;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// One direction of one LSTM layer: its forward sweep over a batch, its backward sweep (BPTT) and its
/// weight gradients, with the activations kept between the two. Layouts in <see cref="LstmLayout"/>.
/// </summary>
/// <remarks>
/// Forward: the input projection of all steps is one GEMM (T·B × I)·(I × 4H); then each thread sweeps the
/// steps of its own samples (recurrent GEMM + gate math). Backward sweeps the steps in reverse, turning the
/// stored activations into dL/dz in place; the weight gradients are then a few large GEMMs over all steps.
/// </remarks>
internal sealed class LstmDirection<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _gates = [];   // [T·B·4H] pre-activations → activations → dL/dz
    private T[] _h = [];       // [T·B·H] hidden state after each step (carried over padded steps)
    private T[] _c = [];       // [T·B·H] cell state after each step
    private T[] _mask = [];    // [B·H] recurrent dropout mask, when used
    private T[] _scratch = []; // [B·H] masked h_{t−1} (forward) or dz·W_hh (backward)
    private T[] _hPrevMasked = []; // [T·B·H] (h_{t−1} ⊙ m) for dW_hh, only with recurrent dropout
    private T[] _dh = [];      // [B·H] running dL/dh_{t−1}
    private T[] _dc = [];      // [B·H] running dL/dc_{t−1}
    private PackedMatrix<T>? _whhNT, _whhNN; // W_hh packed once per pass for the per-step products
    private int _steps, _batch;
    private bool _masked;

    public LstmDirection(int layer, int direction, int inputSize, int hidden)
    {
        Layer = layer; Direction = direction; InputSize = inputSize; Hidden = hidden;
    }

    public int Layer { get; }
    public int Direction { get; }
    public int InputSize { get; }
    public int Hidden { get; }
    private bool Reverse => Direction == 1;
    private int G => LstmLayout.Gates * Hidden;

    /// <summary>Offsets of this direction's tensors in the flat parameter array.</summary>
    public (int Wih, int Whh, int Bih, int Bhh) Offsets { get; set; }

    /// <summary>Final hidden state row of sample b after the forward pass.</summary>
    public Span<T> FinalH(int b) => _h.AsSpan(((Reverse ? 0 : _steps - 1) * _batch + b) * Hidden, Hidden);

    /// <summary>Final cell state row of sample b after the forward pass.</summary>
    public Span<T> FinalC(int b) => _c.AsSpan(((Reverse ? 0 : _steps - 1) * _batch + b) * Hidden, Hidden);

    /// <summary>dL/dh0 of sample b after the backward pass.</summary>
    public ReadOnlySpan<T> DH0(int b) => _dh.AsSpan(b * Hidden, Hidden);

    /// <summary>dL/dc0 of sample b after the backward pass.</summary>
    public ReadOnlySpan<T> DC0(int b) => _dc.AsSpan(b * Hidden, Hidden);

    /// <summary>
    /// Runs the direction over <paramref name="x"/> [T·B × I] and writes its hidden states into columns
    /// Direction·H.. of <paramref name="output"/> [T·B × outWidth] (0 on padded steps).
    /// </summary>
    public void Forward(ComputeContext<T> ctx, T[] w, T[] x, int steps, int batch, int[] lengths,
        T[] h0, T[] c0, int stateOff, double recurrentDropout, ulong dropoutSeed, T[] output, int outWidth)
    {
        _steps = steps; _batch = batch;
        int rows = steps * batch, H = Hidden, g = G;
        MatrixOps.Ensure(ref _gates, (long)rows * g);
        MatrixOps.Ensure(ref _h, (long)rows * H);
        MatrixOps.Ensure(ref _c, (long)rows * H);
        MatrixOps.Ensure(ref _scratch, (long)batch * H);
        _masked = recurrentDropout > 0;
        if (_masked)
        {
            MatrixOps.Ensure(ref _mask, (long)batch * H);
            Dropout.FillMask<T>(_mask.AsSpan(0, batch * H), recurrentDropout, dropoutSeed, Dropout.RecurrentStream(Layer, Direction));
        }

        var (wih, whh, bih, bhh) = Offsets;
        ctx.MatMulNT(rows, g, InputSize, x, 0, InputSize, w, wih, InputSize, _gates, 0, g, accumulate: false);
        var bias = new T[g];
        for (int j = 0; j < g; j++) bias[j] = w[bih + j] + w[bhh + j];
        MatrixOps.AddRowBias(ctx, _gates, rows, g, bias);

        var pk = ctx.Packed;
        if (pk is not null) _whhNT = pk.PackNT(g, H, w.AsSpan(whh, g * H), H, _whhNT);
        ctx.For(batch, 1, (b0, b1) => SweepForward(ctx, w, whh, b0, b1, lengths, h0, c0, stateOff, output, outWidth));
    }

    private void SweepForward(ComputeContext<T> ctx, T[] w, int whh, int b0, int b1, int[] lengths,
        T[] h0, T[] c0, int stateOff, T[] output, int outWidth)
    {
        int B = _batch, H = Hidden, g = G, n = b1 - b0;
        for (int s = 0; s < _steps; s++)
        {
            int t = Reverse ? _steps - 1 - s : s, tp = Reverse ? t + 1 : t - 1;
            (T[] hp, int hpOff) = s == 0 ? (h0, stateOff) : (_h, tp * B * H);
            (T[] cp, int cpOff) = s == 0 ? (c0, stateOff) : (_c, tp * B * H);
            ReadOnlySpan<T> a = hp.AsSpan(hpOff + b0 * H, n * H);
            if (_masked)
            {
                Dropout.Apply<T>(a, _mask.AsSpan(b0 * H, n * H), _scratch.AsSpan(b0 * H, n * H));
                a = _scratch.AsSpan(b0 * H, n * H);
            }
            var z = _gates.AsSpan((t * B + b0) * g);
            if (ctx.Packed is { } pk) pk.MatMulPacked(n, a, H, _whhNT!, z, g, accumulate: true);
            else ctx.Kernels.MatMulNT(n, g, H, a, H, w.AsSpan(whh), H, z, g, accumulate: true);
            for (int b = b0; b < b1; b++)
            {
                int r = t * B + b;
                var hPrev = hp.AsSpan(hpOff + b * H, H);
                var cPrev = cp.AsSpan(cpOff + b * H, H);
                var hOut = _h.AsSpan(r * H, H);
                var cOut = _c.AsSpan(r * H, H);
                var o = output.AsSpan(r * outWidth + Direction * H, H);
                if (t >= lengths[b])
                {
                    hPrev.CopyTo(hOut); cPrev.CopyTo(cOut); o.Clear();
                    continue;
                }
                ctx.CellForward(_gates.AsSpan(r * g, g), cPrev, cOut, hOut);
                hOut.CopyTo(o);
            }
        }
    }

    /// <summary>
    /// BPTT through this direction. <paramref name="dOutput"/> [T·B × outWidth] is dL/d(output) (columns of
    /// this direction are read); <paramref name="dhN"/>/<paramref name="dcN"/> [B·H at stateOff], when not
    /// null, are dL/d(final state). Accumulates weight gradients into <paramref name="grad"/> and
    /// dL/dx into <paramref name="dx"/> [T·B × I] (overwritten when <paramref name="accumulateDx"/> is false).
    /// Consumes the stored activations: call once per forward.
    /// </summary>
    public void Backward(ComputeContext<T> ctx, T[] w, T[] x, int[] lengths, T[] h0, T[] c0, int stateOff,
        T[] dOutput, int outWidth, T[]? dhN, T[]? dcN, T[] grad, T[] dx, bool accumulateDx)
    {
        int B = _batch, H = Hidden, g = G, rows = _steps * B;
        MatrixOps.Ensure(ref _dh, (long)B * H);
        MatrixOps.Ensure(ref _dc, (long)B * H);
        var (wih, whh, bih, bhh) = Offsets;
        if (ctx.Packed is { } pk) _whhNN = pk.PackNN(H, g, w.AsSpan(whh, g * H), H, _whhNN);
        ctx.For(B, 1, (b0, b1) => SweepBackward(ctx, w, whh, b0, b1, lengths, c0, stateOff, dOutput, outWidth, dhN, dcN));

        // Weight gradients as large GEMMs over all steps (dz is 0 on padded steps).
        ctx.MatMulTN(g, InputSize, rows, _gates, 0, g, x, 0, InputSize, grad, wih, InputSize, accumulate: true);
        AccumulateRecurrentGradient(ctx, h0, stateOff, grad, whh);
        MatrixOps.AddColumnSums(ctx, _gates, rows, g, grad, bih);
        MatrixOps.AddColumnSums(ctx, _gates, rows, g, grad, bhh);
        ctx.MatMulNN(rows, InputSize, g, _gates, 0, g, w, wih, InputSize, dx, 0, InputSize, accumulateDx);
    }

    private void SweepBackward(ComputeContext<T> ctx, T[] w, int whh, int b0, int b1, int[] lengths, T[] c0, int stateOff,
        T[] dOutput, int outWidth, T[]? dhN, T[]? dcN)
    {
        int B = _batch, H = Hidden, g = G, n = b1 - b0;
        var dh = _dh.AsSpan(b0 * H, n * H);
        var dc = _dc.AsSpan(b0 * H, n * H);
        if (dhN is null) dh.Clear(); else dhN.AsSpan(stateOff + b0 * H, n * H).CopyTo(dh);
        if (dcN is null) dc.Clear(); else dcN.AsSpan(stateOff + b0 * H, n * H).CopyTo(dc);
        for (int s = _steps - 1; s >= 0; s--)
        {
            int t = Reverse ? _steps - 1 - s : s, tp = Reverse ? t + 1 : t - 1;
            (T[] cp, int cpOff) = s == 0 ? (c0, stateOff) : (_c, tp * B * H);
            for (int b = b0; b < b1; b++)
            {
                int r = t * B + b;
                var gz = _gates.AsSpan(r * g, g);
                if (t >= lengths[b]) { gz.Clear(); continue; }
                var dhb = _dh.AsSpan(b * H, H);
                var dOut = dOutput.AsSpan(r * outWidth + Direction * H, H);
                for (int j = 0; j < H; j++) dhb[j] += dOut[j];
                ctx.CellBackward(gz, _c.AsSpan(r * H, H), cp.AsSpan(cpOff + b * H, H), dhb, _dc.AsSpan(b * H, H));
            }
            var sc = _scratch.AsSpan(b0 * H, n * H);
            var dz = _gates.AsSpan((t * B + b0) * g);
            if (ctx.Packed is { } pk) pk.MatMulPacked(n, dz, g, _whhNN!, sc, H, accumulate: false);
            else ctx.Kernels.MatMulNN(n, H, g, dz, g, w.AsSpan(whh), H, sc, H, accumulate: false);
            for (int b = b0; b < b1; b++)
            {
                if (t >= lengths[b]) continue;
                var src = _scratch.AsSpan(b * H, H);
                var dst = _dh.AsSpan(b * H, H);
                if (_masked) Dropout.Apply<T>(src, _mask.AsSpan(b * H, H), dst);
                else src.CopyTo(dst);
            }
        }
    }

    /// <summary>dW_hh += Σ_t dz_tᵀ·(h_{t−1} ⊙ m), using the stored states shifted by one step.</summary>
    private void AccumulateRecurrentGradient(ComputeContext<T> ctx, T[] h0, int stateOff, T[] grad, int whh)
    {
        int B = _batch, H = Hidden, g = G, T_ = _steps;
        if (_masked)
        {
            MatrixOps.Ensure(ref _hPrevMasked, (long)T_ * B * H);
            for (int t = 0; t < T_; t++)
            {
                int tp = Reverse ? t + 1 : t - 1;
                bool first = Reverse ? t == T_ - 1 : t == 0;
                var src = first ? h0.AsSpan(stateOff, B * H) : _h.AsSpan(tp * B * H, B * H);
                Dropout.Apply<T>(src, _mask.AsSpan(0, B * H), _hPrevMasked.AsSpan(t * B * H, B * H));
            }
            ctx.MatMulTN(g, H, T_ * B, _gates, 0, g, _hPrevMasked, 0, H, grad, whh, H, accumulate: true);
            return;
        }
        int firstT = Reverse ? T_ - 1 : 0;
        ctx.MatMulTN(g, H, B, _gates, firstT * B * g, g, h0, stateOff, H, grad, whh, H, accumulate: true);
        if (T_ == 1) return;
        // Forward: dz[1..T) pairs with h[0..T−1); reverse: dz[0..T−1) pairs with h[1..T).
        int dzStart = Reverse ? 0 : B * g, hStart = Reverse ? B * H : 0;
        ctx.MatMulTN(g, H, (T_ - 1) * B, _gates, dzStart, g, _h, hStart, H, grad, whh, H, accumulate: true);
    }
}
