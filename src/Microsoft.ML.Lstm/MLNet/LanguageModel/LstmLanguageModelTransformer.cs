using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm;

/// <summary>
/// A trained LSTM language model. As an ML.NET transformer it appends to every row the bits per token of the row's text
/// (a Single column, <see cref="LstmLanguageModelOptions.OutputColumnName"/>), so a pipeline can score texts; it also
/// scores held-out texts (<see cref="Evaluate(IDataView)"/>) and generates text (<see cref="Generate"/>). Tokens not in
/// the <see cref="Vocabulary"/> are read and scored as its unknown token. Saved inside the ML.NET model zip by
/// <c>mlContext.Model.Save</c>. Safe for concurrent use: every call and cursor owns its buffers.
/// </summary>
public sealed partial class LstmLanguageModelTransformer : ITransformer
{
    private readonly LstmLanguageModelOptions _options;
    private readonly TextVocabulary _vocabulary;
    private readonly LstmNetwork<float> _net;
    private readonly EpochProgress[] _history;

    internal LstmLanguageModelTransformer(LstmLanguageModelOptions options, TextVocabulary vocabulary, LstmNetwork<float> net,
        EpochProgress[] history)
    {
        (_options, _vocabulary, _net, _history) = (options, vocabulary, net, history);
        _ = new TokenGenerator(net);   // checks the network is a language model
    }

    /// <summary>The settings the model was trained with, the seed used included (a copy).</summary>
    public LstmLanguageModelOptions Options => _options.Clone();

    /// <summary>The text column read.</summary>
    public string InputColumnName => _options.InputColumnName;

    /// <summary>The appended Single column: each row's bits per token.</summary>
    public string OutputColumnName => _options.OutputColumnName;

    /// <summary>Characters or words.</summary>
    public LstmTokenLevel Level => _vocabulary.Level;

    /// <summary>
    /// The tokens the model knows, by id: entry 0 is <c>&lt;boundary&gt;</c> (the start of a text), entry 1 is
    /// <c>&lt;unk&gt;</c> (any token outside the vocabulary; in training it stood for every token seen only once, so it
    /// has a learned probability), then every token seen at least twice in training, in ordinal order.
    /// </summary>
    public IReadOnlyList<string> Vocabulary => _vocabulary.Tokens;

    /// <summary>Per-epoch training loss, validation loss and validation bits per token (the metric), learning rate and time.</summary>
    public IReadOnlyList<EpochProgress> TrainingHistory => _history;

    internal TextVocabulary TextVocabulary => _vocabulary;
    internal LstmNetwork<float> Network => _net;

    /// <summary>Always true: the transformer maps rows one by one.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the bits-per-token column; checks the text column.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => new LanguageModelColumns(this, inputSchema).OutputSchema;

    /// <summary>A mapper for PredictionEngine and transformer chains.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        new LanguageModelRowMapper(new LanguageModelColumns(this, inputSchema));

    /// <summary>Lazily scores every row of <paramref name="input"/>.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new LanguageModelDataView(new LanguageModelColumns(this, input.Schema), input);
    }

    /// <summary>
    /// Generates <paramref name="length"/> tokens following <paramref name="prefix"/> and returns them as text (without
    /// the prefix): characters one after another, words joined by single spaces. The prefix is read once from the start
    /// of a text; after that every new token costs one LSTM step, the state carried. Each token is drawn from the
    /// predicted distribution sharpened or flattened by <paramref name="temperature"/> (0: always the most probable token),
    /// among the <paramref name="topK"/> most probable (0: all). A drawn text boundary is written as a line break and the
    /// unknown token as U+FFFD.
    /// </summary>
    /// <param name="prefix">The text to continue; may be empty (start of a text). Tokens outside the vocabulary are read as
    /// unknown.</param>
    /// <param name="length">Tokens to generate, ≥ 0.</param>
    /// <param name="temperature">≥ 0 and finite; 1 samples the model's own distribution.</param>
    /// <param name="topK">≥ 0; 0 keeps every token.</param>
    /// <param name="seed">Seed of the draws: the same seed gives the same text; null draws a fresh one.</param>
    public string Generate(string prefix, int length, double temperature = 1.0, int topK = 0, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var ids = new TokenGenerator(_net).Generate(_vocabulary.Encode(prefix), length, temperature, topK,
            (uint)(seed ?? Random.Shared.Next()));
        return _vocabulary.Decode(ids);
    }

    /// <summary>Bits per token and per character, perplexity and counts over every row of the text column.</summary>
    /// <exception cref="ArgumentException">The column is missing or not text, or a row's text is empty (the message names
    /// the column and row).</exception>
    public LstmLanguageModelMetrics Evaluate(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var col = TextColumn.Find(data.Schema, InputColumnName);
        double bits = 0;
        long tokens = 0, characters = 0;
        using var cursor = data.GetRowCursor([col]);
        var get = cursor.GetGetter<ReadOnlyMemory<char>>(col);
        ReadOnlyMemory<char> value = default;
        while (cursor.MoveNext())
        {
            get(ref value);
            var s = Score(TextColumn.Checked(value, col.Name, cursor.Position), col.Name, cursor.Position);
            (bits, tokens, characters) = (bits + s.Bits, tokens + s.Tokens, characters + s.Characters);
        }
        if (tokens == 0) throw new ArgumentException($"Text column '{col.Name}' has no rows to evaluate.", nameof(data));
        return new LstmLanguageModelMetrics(bits, tokens, characters);
    }

    /// <summary>The same figures for one text.</summary>
    /// <exception cref="ArgumentException">The text is empty or (word level) has no word.</exception>
    public LstmLanguageModelMetrics Evaluate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) throw new ArgumentException("The text is empty.", nameof(text));
        var s = Score(text, null, 0);
        return new LstmLanguageModelMetrics(s.Bits, s.Tokens, s.Characters);
    }

    /// <summary>The bits of every token of <paramref name="text"/>, predicted from the boundary and the tokens before it.</summary>
    internal (double Bits, long Tokens, long Characters) Score(string text, string? column, long row)
    {
        var ids = _vocabulary.Encode(text);
        if (ids.Length < 2)
            throw column is null
                ? new ArgumentException("The text has no word to score.", nameof(text))
                : new ArgumentException($"Text column '{column}', row {row}: the text has no word to score.", "input");
        var (bits, count) = LanguageModelEvaluation.Score(_net, ids);
        return (bits, count, text.Length);
    }
}
