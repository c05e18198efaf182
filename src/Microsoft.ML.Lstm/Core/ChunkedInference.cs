using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// Inference on one long sequence in memory bounded by the network, not by the sequence: a unidirectional network whose head
/// reads the final state (many-to-one, <see cref="PoolingKind.Last"/>) needs no step's activations once the next step is
/// computed, so the sequence runs <see cref="ChunkSteps"/> steps at a time with (h, c) carried from chunk to chunk — the same
/// recurrence, so the same outputs as one pass over the whole sequence. A unidirectional network with a per-step head
/// (the forecaster's) runs the same way when only its last step's outputs are wanted (<see cref="LastStep"/>: an engine
/// started on a long history). Other networks (a reverse direction, pooling over every step, a tagger's every step) need
/// every step and run in one pass.
/// Holds the chunk batch and the carried state; one per caller, like a workspace.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class ChunkedInference<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Steps per chunk: long enough for the input products to run at full speed, short enough to stay small.</summary>
    public const int ChunkSteps = 1024;

    private readonly LstmNetwork<T> _net;
    private readonly SequenceBatch<T> _chunk = new(1, 1, 1, null);
    private readonly T[] _hidden, _cell;
    private T[] _inputs = [];
    private int[] _tokens = [];

    public ChunkedInference(LstmNetwork<T> net)
    {
        _net = net;
        var s = net.Spec;
        _hidden = new T[s.NumberOfLayers * s.Directions * s.HiddenSize];
        _cell = new T[_hidden.Length];
    }

    /// <summary>Whether <paramref name="spec"/>'s outputs can be computed chunk by chunk.</summary>
    public static bool Applies(LstmNetworkSpec spec) =>
        !spec.Bidirectional && spec.Head == HeadKind.ManyToOne && spec.Pooling == PoolingKind.Last;

    /// <summary>
    /// The head outputs of <paramref name="batch"/> (one sequence, no initial state): one pass when it has at most
    /// <see cref="ChunkSteps"/> steps, chunk by chunk otherwise.
    /// </summary>
    public ReadOnlySpan<T> Forward(LstmWorkspace<T> ws, SequenceBatch<T> batch)
    {
        if (!Applies(_net.Spec)) throw new ArgumentException("Chunked inference reads a unidirectional many-to-one network (Last).");
        return Run(ws, batch);
    }

    /// <summary>
    /// The outputs of the last step of <paramref name="batch"/> (one sequence, no initial state) for a unidirectional network
    /// with a per-step head of <paramref name="width"/> outputs; the workspace's final state is the sequence's.
    /// </summary>
    public ReadOnlySpan<T> LastStep(LstmWorkspace<T> ws, SequenceBatch<T> batch, int width)
    {
        if (_net.Spec.Bidirectional || _net.Spec.Head != HeadKind.ManyToMany)
            throw new ArgumentException("The last step alone is read of a unidirectional network with a per-step head.");
        var y = Run(ws, batch);
        return y[^width..];
    }

    /// <summary>The head outputs of the last chunk (all of them when the sequence fits one chunk).</summary>
    private ReadOnlySpan<T> Run(LstmWorkspace<T> ws, SequenceBatch<T> batch)
    {
        if (batch.BatchSize != 1 || batch.InitialHidden is not null || batch.InitialCell is not null)
            throw new ArgumentException("Chunked inference reads one sequence without an initial state.");
        int T = batch.Steps, K = batch.Features;
        if (T <= ChunkSteps) return _net.Forward(ws, batch);
        ReadOnlySpan<T> y = default;
        for (int start = 0; start < T; start += ChunkSteps)
        {
            int n = Math.Min(ChunkSteps, T - start);
            if (batch.Tokens is not null)
            {
                if (_tokens.Length < n * K) _tokens = new int[ChunkSteps * K];
                batch.Tokens.AsSpan(start * K, n * K).CopyTo(_tokens);
                _chunk.Reset(n, 1, K, null, _tokens);
            }
            else
            {
                if (_inputs.Length < n * K) _inputs = new T[ChunkSteps * K];
                batch.Inputs.AsSpan(start * K, n * K).CopyTo(_inputs);
                _chunk.Reset(n, 1, K, _inputs);
            }
            if (start > 0)
            {
                _chunk.InitialHidden = _hidden;
                _chunk.InitialCell = _cell;
            }
            y = _net.Forward(ws, _chunk);
            ws.FinalHidden.CopyTo(_hidden);
            ws.FinalCell.CopyTo(_cell);
        }
        return y;
    }
}
