namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// The one place where the LSTM equations, gate order and tensor layouts of this library are written
/// down. Every other file refers here.
/// </summary>
/// <remarks>
/// <para><b>Equations</b> (one layer, one direction, one time step; ⊙ is the element-wise product, σ the
/// logistic sigmoid):</para>
/// <code>
///   z = W_ih·x_t + b_ih + W_hh·(h_{t-1} ⊙ m) + b_hh          (m: recurrent-dropout mask, 1 when off)
///   i = σ(z[0H..1H))   f = σ(z[1H..2H))   g = tanh(z[2H..3H))   o = σ(z[3H..4H))
///   c_t = f ⊙ c_{t-1} + i ⊙ g
///   h_t = o ⊙ tanh(c_t)
/// </code>
/// <para><b>Gate order</b> is PyTorch's: i, f, g, o. Weight shapes are PyTorch's, row-major:
/// <c>W_ih</c> [4H × I], <c>W_hh</c> [4H × H], <c>b_ih</c> [4H], <c>b_hh</c> [4H]. Row block k of a weight
/// matrix (rows kH..(k+1)H) belongs to gate k of (i, f, g, o). ONNX's LSTM op uses (i, o, f, c) and one
/// stacked bias [8H]: converters permute row blocks, nothing else.</para>
/// <para><b>Sequences</b> are time-major, like PyTorch with <c>batch_first=False</c>: a batch of B
/// sequences of at most T steps with F features per step is a flat array of T·B·F values and element
/// (t, b, f) sits at <c>(t·B + b)·F + f</c>. Time-major makes the input projection of all steps a single
/// (T·B × F)·(F × 4H) matrix product.</para>
/// <para><b>Variable lengths</b>: sample b has <c>lengths[b]</c> valid steps (1..T); step t is valid iff
/// <c>t &lt; lengths[b]</c>. A padded step changes no state, contributes no gradient and outputs 0. The
/// forward direction runs t = 0..len−1; the reverse direction runs t = len−1..0, starting from the initial
/// state at each sample's own last valid step (PyTorch packed-sequence semantics).</para>
/// <para><b>Layer outputs</b> are [T × B × D·H] with D = 2 when bidirectional: forward direction in
/// columns 0..H, reverse in H..2H. The input of layer l &gt; 0 is the output of layer l−1.</para>
/// <para><b>States</b> (initial h0/c0 in, final h_n/c_n out) are [L·D × B × H], index (l·D + d) for layer
/// l and direction d (0 forward, 1 reverse), like PyTorch. The final forward state is the state after
/// step len−1, the final reverse state the state after step 0.</para>
/// <para><b>Many-to-one head</b> reads the top layer's final hidden states, [B × D·H]: the forward state
/// after the last valid step and, when bidirectional, the reverse state after step 0 (each direction
/// has then seen the whole sequence, as with Keras <c>Bidirectional(return_sequences=False)</c>).
/// The <b>many-to-many head</b> reads the top layer's output at every valid step.</para>
/// <para><b>Dense head</b>: W [O × D·H], b [O], y = W·features + b.</para>
/// </remarks>
internal static class LstmLayout
{
    /// <summary>Number of gates; gate k occupies rows kH..(k+1)H of the stacked weights.</summary>
    public const int Gates = 4;

    /// <summary>Gate index of the input gate i.</summary>
    public const int InputGate = 0;

    /// <summary>Gate index of the forget gate f.</summary>
    public const int ForgetGate = 1;

    /// <summary>Gate index of the cell candidate g.</summary>
    public const int CellGate = 2;

    /// <summary>Gate index of the output gate o.</summary>
    public const int OutputGate = 3;

    /// <summary>Offset of element (t, b, f) in a time-major [T × B × F] array.</summary>
    public static int Index(int t, int b, int f, int batch, int features) => (t * batch + b) * features + f;
}
