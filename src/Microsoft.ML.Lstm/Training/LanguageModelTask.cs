using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// The <see cref="TrainingLoop"/> hooks of a language model: one long stream of token ids (the training texts one after
/// another) cut into chunks of <c>chunkLength</c> steps, each chunk predicting the token after every step (softmax
/// cross-entropy on every step; the class of a token is its id). An item is the start of a chunk; every epoch the chunks
/// start at a new random offset, so no chunk border is the same from one epoch to the next. Every chunk starts from a
/// zero state (truncated backpropagation through time with independent chunks). Validation scores a held-out stream
/// with the state carried across it (<see cref="LanguageModelEvaluation.Score"/>); its metric is bits per token.
/// </summary>
internal sealed class LanguageModelTask : ITrainingTask<int>
{
    private readonly LstmNetwork<float> _net;
    private readonly int[] _stream;
    private readonly int[]? _validation;
    private readonly int _chunk;
    private readonly ILoss<float> _loss = Losses.Create<float>(LossKind.SoftmaxCrossEntropy);
    private readonly LstmWorkspace<float> _ws;
    private readonly SequenceBatch<float> _batch = new(1, 1, 1, null);
    private int[] _ids = [], _classes = [];
    private float[] _dy = [];
    private int _outputs;

    /// <param name="net">A unidirectional token network with a per-step head whose classes are the token ids.</param>
    /// <param name="stream">The training tokens, at least two.</param>
    /// <param name="validation">Held-out tokens (at least two), or null.</param>
    /// <param name="chunkLength">Steps per chunk, ≥ 1.</param>
    /// <param name="optimizer">The optimizer settings.</param>
    public LanguageModelTask(LstmNetwork<float> net, int[] stream, int[]? validation, int chunkLength, OptimizerOptions optimizer)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(stream);
        if (net.Spec.Head != HeadKind.ManyToMany || net.Spec.VocabularySize == 0 || net.Spec.Bidirectional
            || net.Spec.OutputSize != net.Spec.VocabularySize)
            throw new ArgumentException("A language model is a unidirectional token network with one class per token.", nameof(net));
        if (stream.Length < 2) throw new ArgumentException("The training text needs at least two tokens.", nameof(stream));
        if (validation is { Length: < 2 })
            throw new ArgumentException("The validation text needs at least two tokens.", nameof(validation));
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkLength, 1);
        foreach (int id in stream)
            if ((uint)id >= (uint)net.Spec.VocabularySize)
                throw new ArgumentException($"Token id {id} is outside the vocabulary 0..{net.Spec.VocabularySize - 1}.", nameof(stream));
        (_net, _stream, _validation) = (net, stream, validation);
        _chunk = Math.Min(chunkLength, stream.Length - 1);
        _ws = net.CreateWorkspace();
        _ws.ComputeInputGradient = false;
        Groups = [new ParameterGroup(net.Parameters, net.Parameters.ZerosLike(), Optimizers.Create<float>(optimizer))];
    }

    public IReadOnlyList<ParameterGroup> Groups { get; }

    public bool HasValidation => _validation is not null;

    public string MetricName => "bits per token";

    /// <summary>Chunk starts offset + k·chunk for every whole chunk whose next-token targets lie in the stream.</summary>
    public int[] PlanEpoch(Rng rng)
    {
        int predicted = _stream.Length - 1;   // steps that have a next token
        int offset = predicted > _chunk ? (int)(rng.NextDouble() * Math.Min(_chunk, predicted - _chunk + 1)) : 0;
        int count = Math.Max(1, (predicted - offset) / _chunk);
        var starts = new int[count];
        for (int k = 0; k < count; k++) starts[k] = offset + k * _chunk;
        return starts;
    }

    public double? Forward(ReadOnlySpan<int> items, ulong dropoutSeed)
    {
        int B = items.Length, T = _chunk, rows = T * B;
        if (_ids.Length < rows) (_ids, _classes) = (new int[rows], new int[rows]);
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
            {
                _ids[t * B + b] = _stream[items[b] + t];
                _classes[t * B + b] = _stream[items[b] + t + 1];
            }
        _batch.Reset(T, B, 1, null, _ids);
        var y = _net.Forward(_ws, _batch, training: true, dropoutSeed);
        if (_dy.Length < y.Length) _dy = new float[y.Length];
        _outputs = y.Length;
        return _loss.Compute(y, rows, _net.Spec.OutputSize, new LossTargets<float>(null, _classes), default, _dy.AsSpan(0, y.Length));
    }

    public void Backward() => _net.Backward(_ws, _dy.AsSpan(0, _outputs), Groups[0].Gradients);

    public (double Loss, double? Metric) Validate()
    {
        var (bits, count) = LanguageModelEvaluation.Score(_net, _validation!);
        double perToken = bits / count;
        return (perToken * Math.Log(2), perToken);
    }
}
