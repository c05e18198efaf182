namespace Microsoft.ML.Lstm.Core;

/// <summary>What the dense head reads from the top LSTM layer (see <see cref="LstmLayout"/>).</summary>
internal enum HeadKind
{
    /// <summary>One output per sequence, from the final hidden states.</summary>
    ManyToOne,

    /// <summary>One output per valid step.</summary>
    ManyToMany,
}

/// <summary>
/// Architecture of an LSTM network: optional token embedding, a stack of (bi)directional LSTM layers,
/// and a dense head. Names and defaults follow <c>torch.nn.LSTM</c>.
/// </summary>
internal sealed record LstmNetworkSpec
{
    /// <summary>
    /// Width of a step's input to the first layer: float features per step, or for token input
    /// <see cref="TokensPerStep"/> × <see cref="EmbeddingSize"/>.
    /// </summary>
    public int InputSize { get; init; } = 1;

    /// <summary>
    /// Token ids per step, K (token input only; 1 otherwise): each id of a step is looked up in the one embedding
    /// table and the K rows are concatenated (a word beside its suffixes and shape, say).
    /// </summary>
    public int TokensPerStep { get; init; } = 1;

    /// <summary>Width of an embedding row, <see cref="InputSize"/> / <see cref="TokensPerStep"/>.</summary>
    public int EmbeddingSize => InputSize / TokensPerStep;

    /// <summary>Hidden units per direction, H.</summary>
    public int HiddenSize { get; init; } = 64;

    /// <summary>Number of stacked layers, L.</summary>
    public int NumberOfLayers { get; init; } = 1;

    /// <summary>Run a reverse direction too and concatenate its outputs (D = 2).</summary>
    public bool Bidirectional { get; init; }

    /// <summary>Inverted dropout probability on the input of every layer but the first (training only).</summary>
    public double Dropout { get; init; }

    /// <summary>
    /// Variational dropout probability on the recurrent input h_{t−1}: one mask per sequence, layer and
    /// direction, the same at every step (Gal &amp; Ghahramani 2016; training only).
    /// </summary>
    public double RecurrentDropout { get; init; }

    /// <summary>Which outputs the head reads.</summary>
    public HeadKind Head { get; init; } = HeadKind.ManyToOne;

    /// <summary>How a many-to-one head pools the top layer's outputs (<see cref="SequencePooling{T}"/>).</summary>
    public PoolingKind Pooling { get; init; } = PoolingKind.Last;

    /// <summary>Width A of the attention pooling's hidden layer: H.</summary>
    public int AttentionSize => HiddenSize;

    /// <summary>Outputs of the dense head, O.</summary>
    public int OutputSize { get; init; } = 1;

    /// <summary>
    /// When &gt; 0 the input is token ids in [0, VocabularySize) looked up in a learned
    /// [VocabularySize × EmbeddingSize] embedding table.
    /// </summary>
    public int VocabularySize { get; init; }

    /// <summary>Number of directions, D.</summary>
    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>Width of a layer output, D·H.</summary>
    public int LayerOutputSize => Directions * HiddenSize;

    /// <summary>Input width of layer <paramref name="layer"/>.</summary>
    public int LayerInputSize(int layer) => layer == 0 ? InputSize : LayerOutputSize;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Positive(InputSize, nameof(InputSize));
        Positive(HiddenSize, nameof(HiddenSize));
        Positive(NumberOfLayers, nameof(NumberOfLayers));
        Positive(OutputSize, nameof(OutputSize));
        if (VocabularySize < 0)
            throw new ArgumentOutOfRangeException(nameof(VocabularySize), VocabularySize,
                "VocabularySize must be ≥ 0 (0 = float features).");
        Positive(TokensPerStep, nameof(TokensPerStep));
        if (TokensPerStep > 1 && (VocabularySize == 0 || InputSize % TokensPerStep != 0))
            throw new ArgumentException(
                $"TokensPerStep {TokensPerStep} needs token input with InputSize a multiple of it (InputSize {InputSize}).",
                nameof(TokensPerStep));
        Probability(Dropout, nameof(Dropout));
        Probability(RecurrentDropout, nameof(RecurrentDropout));
        if (!Enum.IsDefined(Head)) throw new ArgumentOutOfRangeException(nameof(Head), Head, "Unknown head kind.");
        if (!Enum.IsDefined(Pooling)) throw new ArgumentOutOfRangeException(nameof(Pooling), Pooling, "Unknown pooling.");
        if (Pooling != PoolingKind.Last && Head != HeadKind.ManyToOne)
            throw new ArgumentException($"Pooling {Pooling} needs a many-to-one head: a per-step head reads every step.", nameof(Pooling));
        if (InputSize > MaxWidth)
            throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, $"InputSize must be at most {MaxWidth}.");
        if (HiddenSize > MaxWidth)
            throw new ArgumentOutOfRangeException(nameof(HiddenSize), HiddenSize, $"HiddenSize must be at most {MaxWidth}.");
        if (OutputSize > MaxWidth)
            throw new ArgumentOutOfRangeException(nameof(OutputSize), OutputSize, $"OutputSize must be at most {MaxWidth}.");
        if (NumberOfLayers > MaxLayers)
            throw new ArgumentOutOfRangeException(nameof(NumberOfLayers), NumberOfLayers, $"NumberOfLayers must be at most {MaxLayers}.");
        if (VocabularySize > MaxWidth)
            throw new ArgumentOutOfRangeException(nameof(VocabularySize), VocabularySize, $"VocabularySize must be at most {MaxWidth}.");
        double total = (double)VocabularySize * EmbeddingSize + (double)OutputSize * (LayerOutputSize + 1)
            + (Pooling == PoolingKind.Attention ? (double)AttentionSize * (LayerOutputSize + 2) : 0);
        for (int l = 0; l < NumberOfLayers; l++) total += Directions * 4.0 * HiddenSize * (LayerInputSize(l) + HiddenSize + 2);
        if (total > int.MaxValue / 2)
            throw new ArgumentException($"The network would have {total:N0} parameters; at most {int.MaxValue / 2:N0} are supported.",
                nameof(HiddenSize));
    }

    /// <summary>Largest accepted input, hidden, output or vocabulary size.</summary>
    public const int MaxWidth = 1 << 24;

    /// <summary>Largest number of stacked layers.</summary>
    public const int MaxLayers = 64;

    /// <summary>Name prefix of layer l, direction d: <c>l{l}.fwd</c> or <c>l{l}.rev</c>.</summary>
    public static string Prefix(int layer, int direction) => $"l{layer}.{(direction == 0 ? "fwd" : "rev")}";

    /// <summary>Number of parameters (the length of the flat weight vector), computed without allocating them.</summary>
    public int ParameterCount => ParameterSlots() is { Count: > 0 } s ? s[^1].Offset + s[^1].Length : 0;

    /// <summary>The parameter tensors in storage order (names as in <see cref="Prefix"/> + <c>.W_ih</c> etc.).</summary>
    public IReadOnlyList<TensorSlot> ParameterSlots()
    {
        Validate();
        var slots = new List<TensorSlot>();
        int off = 0;
        void Add(string name, int rows, int cols) { slots.Add(new TensorSlot(name, off, rows, cols)); off = checked(off + rows * cols); }
        if (VocabularySize > 0) Add("embedding", VocabularySize, EmbeddingSize);
        int g = LstmLayout.Gates * HiddenSize;
        for (int l = 0; l < NumberOfLayers; l++)
            for (int d = 0; d < Directions; d++)
            {
                string p = Prefix(l, d);
                Add(p + ".W_ih", g, LayerInputSize(l));
                Add(p + ".W_hh", g, HiddenSize);
                Add(p + ".b_ih", 1, g);
                Add(p + ".b_hh", 1, g);
            }
        if (Pooling == PoolingKind.Attention)
        {
            Add("pool.W", AttentionSize, LayerOutputSize);
            Add("pool.b", 1, AttentionSize);
            Add("pool.v", 1, AttentionSize);
        }
        Add("head.W", OutputSize, LayerOutputSize);
        Add("head.b", 1, OutputSize);
        return slots;
    }

    private static void Positive(int v, string name)
    {
        if (v <= 0) throw new ArgumentOutOfRangeException(name, v, $"{name} must be positive.");
    }

    private static void Probability(double p, string name)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(name, p, $"{name} must be in [0, 1).");
    }
}
