using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// Buffers of one forward/backward pass: activations kept for BPTT, outputs, final states and gradients
/// for inputs and initial states. Buffers grow to the largest batch seen and are then reused. A workspace
/// belongs to one thread at a time; create one per concurrent caller.
/// </summary>
public sealed class LstmWorkspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal LstmWorkspace(LstmNetworkSpec spec, Func<string, int> offset)
    {
        Spec = spec;
        int L = spec.NumLayers, D = spec.Directions;
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
        LayerOutputs = new T[L][];
        LayerInputs = new T[L][];
        DropoutMasks = new T[L][];
        DroppedInputs = new T[L][];
        for (int l = 0; l < L; l++) { LayerOutputs[l] = []; LayerInputs[l] = []; DropoutMasks[l] = []; DroppedInputs[l] = []; }
    }

    internal LstmNetworkSpec Spec { get; }
    internal LstmDirection<T>[,] Directions { get; }
    internal DenseHead<T> Head { get; }
    internal T[][] LayerOutputs { get; }     // [T·B × D·H] per layer
    internal T[][] LayerInputs { get; }      // input of each layer as the LSTM saw it (after dropout)
    internal T[][] DropoutMasks { get; }     // [T·B × D·H] mask on the input of layer l > 0
    internal T[][] DroppedInputs { get; }    // [T·B × D·H] masked input of layer l > 0
    internal T[] Embedded = [];              // [T·B × E] embedded tokens
    internal T[] PaddedInput = [];           // [T·B × I] inputs with padded steps zeroed
    internal T[] HeadFeatures = [];          // [B × D·H] (many-to-one)
    internal T[] Y = [];                     // [rows × O]
    internal T[] ZeroState = [];             // [L·D·B·H] zeros
    internal T[] H0 = [], C0 = [];           // initial states in use
    internal T[] FinalH = [], FinalC = [];   // [L·D·B·H]
    internal T[] DOut = [], DOutNext = [];   // [T·B × D·H] dL/d(layer output)
    internal T[] DX0 = [];                   // [T·B × I]
    internal T[] DHead = [];                 // [rows × D·H] or [B × D·H]
    internal T[] DHN = [];                   // [L·D·B·H] dL/d(final h) for the top layer
    internal T[] DH0 = [], DC0 = [];         // [L·D·B·H]
    internal SequenceBatch<T>? Batch;
    internal bool HasForward;
    internal object? ForwardBy;              // the network whose forward pass the buffers hold

    /// <summary>Rows of <see cref="Output"/>: B (many-to-one) or T·B (many-to-many).</summary>
    public int OutputRows { get; internal set; }

    /// <summary>Head outputs of the last forward pass, [OutputRows × O].</summary>
    public ReadOnlySpan<T> Output => Y.AsSpan(0, OutputRows * Spec.OutputSize);

    /// <summary>Final hidden states of the last forward pass, [L·D × B × H].</summary>
    public ReadOnlySpan<T> FinalHidden => FinalH.AsSpan(0, StateLength);

    /// <summary>Final cell states of the last forward pass, [L·D × B × H].</summary>
    public ReadOnlySpan<T> FinalCell => FinalC.AsSpan(0, StateLength);

    /// <summary>dL/d(inputs) [T × B × I] of the last backward pass (float-input networks).</summary>
    public ReadOnlySpan<T> InputGradient => DX0.AsSpan(0, Batch is null ? 0 : Batch.Steps * Batch.BatchSize * Spec.InputSize);

    /// <summary>dL/dh0 [L·D × B × H] of the last backward pass.</summary>
    public ReadOnlySpan<T> InitialHiddenGradient => DH0.AsSpan(0, StateLength);

    /// <summary>dL/dc0 [L·D × B × H] of the last backward pass.</summary>
    public ReadOnlySpan<T> InitialCellGradient => DC0.AsSpan(0, StateLength);

    internal int StateLength => Batch is null ? 0 : Spec.NumLayers * Spec.Directions * Batch.BatchSize * Spec.HiddenSize;
}
