using System.Numerics;
using Microsoft.ML.Lstm.Kernels;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// One direction of one LSTM layer over a padded batch: forward pass and BPTT. Equations, gate order and
/// layouts in <see cref="LstmLayout"/>.
/// </summary>
/// <remarks>
/// <para>Forward: each thread sweeps the steps of its own samples; per step one register-tiled pass computes
/// z_t = b + x_t·W_ihᵀ + h_{t−1}·W_hhᵀ (both weights packed once per pass) and the gate math follows, so a
/// step's pre-activations are written once and still in cache when they are used (a thread that owns the
/// whole batch of a small batch projects a few steps at once instead, with the same bits). (One GEMM over all
/// T·B rows first, the classic layout, writes and re-reads the whole [T·B × 4H] buffer: measured 6–15 %
/// slower on the benchmark shapes b and d, where that buffer is 13 MB.) Backward sweeps the steps in reverse,
/// turning the stored activations into dL/dz in place; the weight gradients are then a few large GEMMs
/// over all steps.</para>
/// <para>Stored for BPTT: the gate activations [T·B × 4H] and the cell states [T·B × H] here, and the hidden
/// states in the layer's output [T·B × D·H] (columns Direction·H..), which the caller owns and keeps until
/// the backward pass. Padded steps output h = 0 there, while c is carried over them, so the reverse
/// direction meets its initial cell state at each sample's last valid step; its initial hidden state is
/// read from h0 directly at that step.</para>
/// </remarks>
internal sealed class LstmDirection<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _gates = [];   // [T·B·4H] pre-activations → activations → dL/dz
    private T[] _c = [];       // [T·B·H] cell state after each step (carried over padded steps)
    private T[] _bias = [];    // [4H] b_ih + b_hh
    private T[] _mask = [];    // [B·H] recurrent dropout mask, when used
    private T[] _scratch = []; // [B·H] gathered or masked h_{t−1} (forward), dz·W_hh (backward)
    private T[] _dh = [];      // [B·H] running dL/dh_{t−1}
    private T[] _dc = [];      // [B·H] running dL/dc_{t−1}
    private PackedMatrix<T>? _wihNT, _whhNT, _whhNN; // weights packed once per pass for the per-step products

    /// <summary>Rows of one input-projection product when a thread sweeps the whole batch (32, 64 and 128 measured alike).</summary>
    private const int ProjectionRows = 64;

    // The pass in progress: set by Forward (BackwardSweep sets the context and the gradients it reads).
    private ComputeContext<T> _ctx = null!;
    private T[] _w = [], _x = [], _h = [], _h0 = [], _c0 = [];   // _x: the layer input [T·B × I]; _h: its output [T·B × _hWidth]
    private T[]? _dOut, _dhN, _dcN;
    private int[] _lengths = [];
    private int _steps, _batch, _stateOff, _hWidth;
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

    /// <summary>Values this direction keeps from the forward to the backward pass: gates, c and the recurrent mask.</summary>
    public long StoredValues => (long)_gates.Length + _c.Length + _mask.Length;

    /// <summary>Final hidden state row of sample b after the forward pass (its h after step len−1, or step 0 reversed).</summary>
    public Span<T> FinalH(int b) => HRow(Reverse ? 0 : _lengths[b] - 1, b);

    /// <summary>Final cell state row of sample b after the forward pass.</summary>
    public Span<T> FinalC(int b) => _c.AsSpan(((Reverse ? 0 : _steps - 1) * _batch + b) * Hidden, Hidden);

    /// <summary>dL/dh0 of sample b after the backward pass.</summary>
    public ReadOnlySpan<T> DH0(int b) => _dh.AsSpan(b * Hidden, Hidden);

    /// <summary>dL/dc0 of sample b after the backward pass.</summary>
    public ReadOnlySpan<T> DC0(int b) => _dc.AsSpan(b * Hidden, Hidden);

    /// <summary>
    /// Runs the direction over <paramref name="x"/> [T·B × I] and writes its hidden states into columns
    /// Direction·H.. of <paramref name="output"/> [T·B × outWidth] (0 on padded steps), which must stay
    /// untouched until the backward pass.
    /// </summary>
    public void Forward(ComputeContext<T> ctx, T[] w, T[] x, int steps, int batch, int[] lengths,
        T[] h0, T[] c0, int stateOff, double recurrentDropout, ulong dropoutSeed, T[] output, int outWidth)
    {
        (_ctx, _w, _lengths, _h0, _c0, _h) = (ctx, w, lengths, h0, c0, output);
        (_steps, _batch, _stateOff, _hWidth) = (steps, batch, stateOff, outWidth);
        int rows = steps * batch, H = Hidden, g = G;
        MatrixOps.Ensure(ref _gates, (long)rows * g);
        MatrixOps.Ensure(ref _c, (long)rows * H);
        MatrixOps.Ensure(ref _scratch, (long)batch * H);
        MatrixOps.Ensure(ref _bias, g);
        _masked = recurrentDropout > 0;
        if (_masked)
        {
            MatrixOps.Ensure(ref _mask, (long)batch * H);
            Dropout.FillMask<T>(_mask.AsSpan(0, batch * H), recurrentDropout, dropoutSeed, Dropout.RecurrentStream(Layer, Direction));
        }

        var (wih, whh, bih, bhh) = Offsets;
        _x = x;
        for (int j = 0; j < g; j++) _bias[j] = w[bih + j] + w[bhh + j];
        if (ctx.Packed is not null)
        {
            _wihNT = ctx.PackNT(g, InputSize, w, wih, _wihNT);
            _whhNT = ctx.PackNT(g, H, w, whh, _whhNT);
        }
        ctx.For(batch, 1, this, static (in LstmDirection<T> d, int b0, int b1) => d.SweepForward(b0, b1));
    }

    private void SweepForward(int b0, int b1)
    {
        int B = _batch, H = Hidden, g = G, n = b1 - b0, whh = Offsets.Whh;
        int chunk = n == B ? Math.Max(1, ProjectionRows / B) : 1;
        var ctx = _ctx;
        for (int s = 0; s < _steps; s++)
        {
            int t = Reverse ? _steps - 1 - s : s, tp = Reverse ? t + 1 : t - 1;
            var a = RecurrentInput(s, t, b0, b1, out int lda);
            var z = _gates.AsSpan((t * B + b0) * g, n * g);
            if (chunk == 1 && ctx.Packed is { } pair)
            {
                // z = b + x_t·W_ihᵀ + h_{t−1}·W_hhᵀ in one pass over z.
                pair.MatMulPackedPair(n, _x.AsSpan((t * B + b0) * InputSize),
                    InputSize, _wihNT!, a, lda, _whhNT!, _bias.AsSpan(0, g), z, g);
            }
            else
            {
                if (s % chunk == 0) Project(s, Math.Min(chunk, _steps - s), b0, n);
                if (ctx.Packed is { } pk) pk.MatMulPacked(n, a, lda, _whhNT!, z, g, accumulate: true);
                else ctx.Kernels.MatMulNT(n, g, H, a, lda, _w.AsSpan(whh), H, z, g, accumulate: true);
            }
            (T[] cp, int cpOff) = s == 0 ? (_c0, _stateOff) : (_c, tp * B * H);
            for (int b = b0; b < b1; b++)
            {
                int r = t * B + b;
                var cPrev = cp.AsSpan(cpOff + b * H, H);
                var cOut = _c.AsSpan(r * H, H);
                var hOut = HRow(t, b);
                if (t >= _lengths[b])
                {
                    cPrev.CopyTo(cOut); hOut.Clear();
                    continue;
                }
                ctx.CellForward(_gates.AsSpan(r * g, g), cPrev, cOut, hOut);
            }
        }
    }

    /// <summary>
    /// z = (b_ih + b_hh) + x·W_ihᵀ for sweep steps [s, s + count) of samples b0..b0 + n, each element's chain
    /// starting from the bias (the recurrent product then continues it): one product per step (n rows), or
    /// one over all count·B rows when the range is the whole batch (its rows are then contiguous). The chains,
    /// and so the bits, are those of <see cref="IPackedMatMul{T}.MatMulPackedPair"/> whatever the split.
    /// </summary>
    private void Project(int s, int count, int b0, int n)
    {
        int g = G, I = InputSize, t0 = Reverse ? _steps - s - count : s;
        int rows = count == 1 ? n : count * _batch, off = t0 * _batch + b0;
        var a = _x.AsSpan(off * I, rows * I);
        var z = _gates.AsSpan(off * g, rows * g);
        var bias = _bias.AsSpan(0, g);
        if (_ctx.Packed is { } pk)
        {
            pk.MatMulPackedPair(rows, a, I, _wihNT!, default, 0, null, bias, z, g);
            return;
        }
        for (int r = 0; r < rows; r++) bias.CopyTo(z.Slice(r * g, g));
        _ctx.Kernels.MatMulNT(rows, g, I, a, I, _w.AsSpan(Offsets.Wih, g * I), I, z, g, accumulate: true);
    }

    /// <summary>
    /// h_{t−1} (⊙ the recurrent mask) of samples b0..b1 at sweep step <paramref name="s"/>: h0 at the first
    /// step, else the previous step's output rows, read in place unless the mask applies or a sample of the
    /// reverse direction starts at t (its previous row is padded; its h_{t−1} is h0): then gathered.
    /// </summary>
    private ReadOnlySpan<T> RecurrentInput(int s, int t, int b0, int b1, out int lda)
    {
        int H = Hidden, tp = Reverse ? t + 1 : t - 1;
        bool starts = false;
        if (s > 0 && Reverse) for (int b = b0; b < b1 && !starts; b++) starts = _lengths[b] == t + 1;
        if (!_masked && !starts)
        {
            lda = s == 0 ? H : _hWidth;
            return s == 0 ? _h0.AsSpan(_stateOff + b0 * H, (b1 - b0) * H) : _h.AsSpan((tp * _batch + b0) * _hWidth + Direction * H);
        }
        lda = H;
        for (int b = b0; b < b1; b++)
        {
            ReadOnlySpan<T> src = s == 0 || (Reverse && _lengths[b] == t + 1) ? _h0.AsSpan(_stateOff + b * H, H) : HRow(tp, b);
            var dst = _scratch.AsSpan(b * H, H);
            if (_masked) Dropout.Apply<T>(src, _mask.AsSpan(b * H, H), dst);
            else src.CopyTo(dst);
        }
        return _scratch.AsSpan(b0 * H, (b1 - b0) * H);
    }

    /// <summary>This direction's h of sample b after step t, in the layer output.</summary>
    private Span<T> HRow(int t, int b) => _h.AsSpan((t * _batch + b) * _hWidth + Direction * Hidden, Hidden);

    /// <summary>
    /// BPTT sweep: turns the stored activations into dL/dz and fills <see cref="DH0"/>/<see cref="DC0"/>.
    /// <paramref name="dOutput"/> [T·B × outWidth] is dL/d(output) (this direction's columns are read; null
    /// when only the final state has a gradient); <paramref name="dhN"/>/<paramref name="dcN"/> [L·D·B·H],
    /// when not null, are dL/d(final states). Runs on <paramref name="ctx"/>, as do the two calls that
    /// follow it. Call once per forward, then <see cref="WeightGradients"/> and
    /// <see cref="InputGradient"/>.
    /// </summary>
    public void BackwardSweep(ComputeContext<T> ctx, T[]? dOutput, T[]? dhN, T[]? dcN)
    {
        int B = _batch, H = Hidden, g = G;
        _ctx = ctx;
        MatrixOps.Ensure(ref _dh, (long)B * H);
        MatrixOps.Ensure(ref _dc, (long)B * H);
        (_dOut, _dhN, _dcN) = (dOutput, dhN, dcN);
        if (_ctx.Packed is not null) _whhNN = _ctx.PackNN(H, g, _w, Offsets.Whh, _whhNN);
        _ctx.For(B, 1, this, static (in LstmDirection<T> d, int b0, int b1) => d.SweepBackward(b0, b1));
        (_dOut, _dhN, _dcN) = (null, null, null);
    }

    private void SweepBackward(int b0, int b1)
    {
        int B = _batch, H = Hidden, g = G, n = b1 - b0, whh = Offsets.Whh;
        var ctx = _ctx;
        var dh = _dh.AsSpan(b0 * H, n * H);
        var dc = _dc.AsSpan(b0 * H, n * H);
        if (_dhN is null) dh.Clear(); else _dhN.AsSpan(_stateOff + b0 * H, n * H).CopyTo(dh);
        if (_dcN is null) dc.Clear(); else _dcN.AsSpan(_stateOff + b0 * H, n * H).CopyTo(dc);
        for (int s = _steps - 1; s >= 0; s--)
        {
            int t = Reverse ? _steps - 1 - s : s, tp = Reverse ? t + 1 : t - 1;
            (T[] cp, int cpOff) = s == 0 ? (_c0, _stateOff) : (_c, tp * B * H);
            for (int b = b0; b < b1; b++)
            {
                int r = t * B + b;
                var gz = _gates.AsSpan(r * g, g);
                if (t >= _lengths[b]) { gz.Clear(); continue; }
                var dhb = _dh.AsSpan(b * H, H);
                if (_dOut is { } dOut)
                {
                    var d = dOut.AsSpan(r * _hWidth + Direction * H, H);
                    for (int j = 0; j < H; j++) dhb[j] += d[j];
                }
                ctx.CellBackward(gz, _c.AsSpan(r * H, H), cp.AsSpan(cpOff + b * H, H), dhb, _dc.AsSpan(b * H, H));
            }
            var sc = _scratch.AsSpan(b0 * H, n * H);
            var dz = _gates.AsSpan((t * B + b0) * g);
            if (ctx.Packed is { } pk) pk.MatMulPacked(n, dz, g, _whhNN!, sc, H, accumulate: false);
            else ctx.Kernels.MatMulNN(n, H, g, dz, g, _w.AsSpan(whh), H, sc, H, accumulate: false);
            for (int b = b0; b < b1; b++)
            {
                if (t >= _lengths[b]) continue;
                var src = _scratch.AsSpan(b * H, H);
                var dst = _dh.AsSpan(b * H, H);
                if (_masked) Dropout.Apply<T>(src, _mask.AsSpan(b * H, H), dst);
                else src.CopyTo(dst);
            }
        }
    }

    /// <summary>
    /// After <see cref="BackwardSweep"/>: accumulates dW_ih (from the layer input <paramref name="x"/>
    /// [T·B × I] the forward pass saw), dW_hh, db_ih and db_hh into <paramref name="grad"/>, as large GEMMs
    /// over all steps (dz is 0 on padded steps). Overwrites this direction's columns of the layer output.
    /// </summary>
    public void WeightGradients(T[] x, T[] grad)
    {
        int rows = _steps * _batch, g = G;
        var (wih, whh, bih, bhh) = Offsets;
        _ctx.MatMulTN(g, InputSize, rows, _gates, 0, g, x, 0, InputSize, grad, wih, InputSize, accumulate: true);
        AccumulateRecurrentGradient(grad, whh);
        // db_ih and db_hh are the same column sums of dz: compute them once.
        MatrixOps.AddColumnSums(_ctx, _gates, rows, g, grad, bih);
        MatrixOps.AddInPlace<T>(grad.AsSpan(bhh, g), grad.AsSpan(bih, g));
    }

    /// <summary>After <see cref="BackwardSweep"/>: dx [T·B × I] (+)= dz·W_ih.</summary>
    public void InputGradient(T[] dx, bool accumulate) =>
        _ctx.MatMulNN(_steps * _batch, InputSize, G, _gates, 0, G, _w, Offsets.Wih, InputSize, dx, 0, InputSize, accumulate);

    /// <summary>
    /// dW_hh += Σ_t dz_tᵀ·(h_{t−1} ⊙ m): the first step's products with h0, the others with the stored
    /// outputs shifted by one step, masked in place when recurrent dropout is on. A reverse sample shorter
    /// than T starts at t = len − 1, whose h_{t−1} is h0, not its (padded) output row at len: that row
    /// receives h0 first.
    /// </summary>
    private void AccumulateRecurrentGradient(T[] grad, int whh)
    {
        int B = _batch, H = Hidden, g = G, T_ = _steps;
        if (Reverse)
            for (int b = 0; b < B; b++)
                if (_lengths[b] < T_) _h0.AsSpan(_stateOff + b * H, H).CopyTo(HRow(_lengths[b], b));
        (T[] first, int firstOff) = (_h0, _stateOff);
        if (_masked)
        {
            for (int r = 0; r < T_ * B; r++)
            {
                var h = HRow(r / B, r % B);
                Dropout.Apply<T>(h, _mask.AsSpan(r % B * H, H), h);
            }
            Dropout.Apply<T>(_h0.AsSpan(_stateOff, B * H), _mask.AsSpan(0, B * H), _scratch.AsSpan(0, B * H));
            (first, firstOff) = (_scratch, 0);
        }
        int firstT = Reverse ? T_ - 1 : 0;
        _ctx.MatMulTN(g, H, B, _gates, firstT * B * g, g, first, firstOff, H, grad, whh, H, accumulate: true);
        if (T_ == 1) return;
        // Forward: dz[1..T) pairs with h[0..T−1); reverse: dz[0..T−1) pairs with h[1..T).
        int dzStart = Reverse ? 0 : B * g, hStart = (Reverse ? B : 0) * _hWidth + Direction * H;
        _ctx.MatMulTN(g, H, (T_ - 1) * B, _gates, dzStart, g, _h, hStart, _hWidth, grad, whh, H, accumulate: true);
    }
}
