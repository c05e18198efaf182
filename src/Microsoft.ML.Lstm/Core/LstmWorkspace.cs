using System.Numerics;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// Buffers of one forward/backward pass: activations kept for BPTT, outputs, final states and gradients
/// for inputs and initial states. Buffers grow to the largest batch seen and are then reused, so passes on
/// shapes already seen allocate nothing. A workspace belongs to one thread at a time; create one per
/// concurrent caller.
/// </summary>
/// <remarks>
/// <para><b>Activations kept for BPTT</b>, per step and sample (T·B rows), for layer l and direction d:</para>
/// <list type="bullet">
/// <item>gate activations i, f, g, o: 4H values (turned into dL/dz in place by the backward pass);</item>
/// <item>cell state c: H values;</item>
/// <item>hidden state h: H values, stored once, in the layer output [T·B × D·H] that is also the next
/// layer's input and the many-to-many head's input.</item>
/// </list>
/// <para>A layer l &gt; 0 trained with dropout keeps one bit per input element (its mask); the dropped
/// input is rebuilt from the mask and the previous layer's output, in the output-gradient buffer, once in
/// the forward and once in the backward pass. Layer 0 reads the caller's features in place (a zero-padded
/// copy is made only when padded steps hold non-finite values) or keeps the embedded tokens [T·B × E].
/// Per sample only: recurrent-dropout masks [B·H] per direction, many-to-one head features [B × D·H]; a pooling over
/// steps keeps its argmax steps [B × D·H] or its attention activations and weights [T·B × (A + 1)].</para>
/// <para>BPTT without recomputation cannot keep less than 6H values per row, layer and direction (four
/// gates, c, h) plus the embedded tokens: <see cref="MinimumActivationBytes"/>. <see cref="ActivationBytes"/>
/// is what this workspace holds. The backward pass also needs gradient buffers: dL/d(layer output)
/// [T·B × D·H], shared by all layers, dL/dx [T·B × I] and a copy of dL/dy [rows × O].</para>
/// </remarks>
internal sealed class LstmWorkspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal LstmWorkspace(LstmNetworkSpec spec, Func<string, int> offset)
    {
        Spec = spec;
        int L = spec.NumberOfLayers, D = spec.Directions;
        Directions = new LstmDirection<T>[L, D];
        for (int l = 0; l < L; l++)
            for (int d = 0; d < D; d++)
            {
                string p = LstmNetworkSpec.Prefix(l, d);
                Directions[l, d] = new LstmDirection<T>(l, d, spec.LayerInputSize(l), spec.HiddenSize)
                {
                    Offsets = (offset(p + ".W_ih"), offset(p + ".W_hh"), offset(p + ".b_ih"), offset(p + ".b_hh")),
                };
            }
        Head = new DenseHead<T>(spec.LayerOutputSize, spec.OutputSize, offset("head.W"), offset("head.b"));
        bool attention = spec.Pooling == PoolingKind.Attention;
        if (spec.Pooling != PoolingKind.Last)
            Pooling = new SequencePooling<T>(spec.Pooling, spec.LayerOutputSize, spec.AttentionSize,
                attention ? offset("pool.W") : -1, attention ? offset("pool.b") : -1, attention ? offset("pool.v") : -1);
        LayerOutputs = new T[L][];
        DropoutBits = new ulong[L][];
        for (int l = 0; l < L; l++) { LayerOutputs[l] = []; DropoutBits[l] = []; }
    }

    internal LstmNetworkSpec Spec { get; }
    internal LstmDirection<T>[,] Directions { get; }
    internal DenseHead<T> Head { get; }
    internal SequencePooling<T>? Pooling { get; }   // null: the head reads the final states
    internal PoolingBuffers<T> PoolingKeep { get; } = new();
    internal T[][] LayerOutputs { get; }     // [T·B × D·H] per layer: the hidden states of both directions
    internal ulong[][] DropoutBits { get; }  // keep bits of the dropout mask on the input of layer l > 0
    internal bool InputDropout;              // the last forward applied dropout between layers
    internal T[] Input0 = [];                // the input of layer 0 as the LSTM saw it
    internal T[] Embedded = [];              // [T·B × E] embedded tokens
    internal T[] PaddedInput = [];           // [T·B × I] inputs with padded steps zeroed (only for non-finite padding)
    internal T[] HeadFeatures = [];          // [B × D·H] (many-to-one)
    internal T[] Y = [];                     // [rows × O]
    internal T[] ZeroState = [];             // [L·D·B·H] zeros
    internal T[] H0 = [], C0 = [];           // initial states in use
    internal T[] FinalH = [], FinalC = [];   // [L·D·B·H]
    internal T[] DOut = [];                  // [T·B × D·H] dL/d(layer output); a layer's dropped input in between
    internal T[] DX0 = [];                   // [T·B × I]
    internal T[] DY = [];                    // [rows × O] dL/dy with padded rows zeroed
    internal T[] DHead = [];                 // [B × D·H] dL/d(head features) (many-to-one)
    internal T[] DHN = [];                   // [L·D·B·H] dL/d(final h)
    internal T[] DH0 = [], DC0 = [];         // [L·D·B·H]
    internal SequenceBatch<T>? Batch;
    internal bool HasForward;
    internal object? ForwardBy;              // the network whose forward pass the buffers hold

    /// <summary>Rows of <see cref="Output"/>: B (many-to-one) or T·B (many-to-many).</summary>
    public int OutputRows { get; internal set; }

    /// <summary>Head outputs of the last forward pass, [OutputRows × O].</summary>
    public ReadOnlySpan<T> Output => Y.AsSpan(0, OutputRows * Spec.OutputSize);

    /// <summary>
    /// What a many-to-one head read in the last forward pass, [B × D·H]: the final states or their pooling over the steps
    /// (<see cref="LstmNetworkSpec.Pooling"/>), the sequence's encoding before the dense head.
    /// </summary>
    public ReadOnlySpan<T> Features => Spec.Head == HeadKind.ManyToOne && Batch is not null
        ? HeadFeatures.AsSpan(0, Batch.BatchSize * Spec.LayerOutputSize)
        : throw new InvalidOperationException("Features are the many-to-one head's input, after a forward pass.");

    /// <summary>Final hidden states of the last forward pass, [L·D × B × H].</summary>
    public ReadOnlySpan<T> FinalHidden => FinalH.AsSpan(0, StateLength);

    /// <summary>Final cell states of the last forward pass, [L·D × B × H].</summary>
    public ReadOnlySpan<T> FinalCell => FinalC.AsSpan(0, StateLength);

    /// <summary>
    /// Whether the backward pass computes <see cref="InputGradient"/> (default true). Training the network's own
    /// weights does not need dL/dx of float inputs; turning it off saves one product per direction of the first
    /// layer, like an input tensor without requires_grad in PyTorch. Token-input networks always compute it
    /// internally for the embedding's gradient.
    /// </summary>
    public bool ComputeInputGradient { get; set; } = true;

    /// <summary>dL/d(inputs) [T × B × I] of the last backward pass (float-input networks).</summary>
    /// <exception cref="InvalidOperationException"><see cref="ComputeInputGradient"/> was false for that pass.</exception>
    public ReadOnlySpan<T> InputGradient => InputGradientComputed
        ? DX0.AsSpan(0, Batch is null ? 0 : Batch.Steps * Batch.BatchSize * Spec.InputSize)
        : throw new InvalidOperationException(
            $"The last backward pass did not compute the input gradient; set {nameof(ComputeInputGradient)} = true before it.");

    /// <summary>Whether the last backward pass wrote DX0.</summary>
    internal bool InputGradientComputed = true;

    /// <summary>dL/dh0 [L·D × B × H] of the last backward pass.</summary>
    public ReadOnlySpan<T> InitialHiddenGradient => DH0.AsSpan(0, StateLength);

    /// <summary>dL/dc0 [L·D × B × H] of the last backward pass.</summary>
    public ReadOnlySpan<T> InitialCellGradient => DC0.AsSpan(0, StateLength);

    /// <summary>
    /// Bytes of the buffers this workspace keeps from a forward pass for the backward pass (see the
    /// remarks), at their current sizes: those of the largest batch seen.
    /// </summary>
    public long ActivationBytes
    {
        get
        {
            long values = (long)Embedded.Length + PaddedInput.Length + HeadFeatures.Length + PoolingKeep.StoredValues, bits = 0;
            foreach (var dir in Directions) values += dir.StoredValues;
            foreach (var o in LayerOutputs) values += o.Length;
            foreach (var m in DropoutBits) bits += m.Length * 64L;
            return values * Unsafe.SizeOf<T>() + bits / 8;
        }
    }

    /// <summary>
    /// The least any BPTT without recomputation must keep for the last forward pass: 6H values (gates i,
    /// f, g, o, cell and hidden state) per step, sample, layer and direction, plus the embedded tokens.
    /// </summary>
    public long MinimumActivationBytes
    {
        get
        {
            if (Batch is null) return 0;
            long rows = (long)Batch.Steps * Batch.BatchSize;
            long values = rows * 6 * Spec.HiddenSize * Spec.NumberOfLayers * Spec.Directions;
            if (Spec.VocabularySize > 0) values += rows * Spec.InputSize;
            return values * Unsafe.SizeOf<T>();
        }
    }

    internal int StateLength => Batch is null ? 0 : Spec.NumberOfLayers * Spec.Directions * Batch.BatchSize * Spec.HiddenSize;
}
