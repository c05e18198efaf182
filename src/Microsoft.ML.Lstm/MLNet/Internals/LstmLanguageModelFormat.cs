using Microsoft.ML;
using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.MLNet.Internals;
using Microsoft.ML.Runtime;

[assembly: LoadableClass(typeof(Microsoft.ML.Lstm.LstmLanguageModelTransformer), null, typeof(SignatureLoadModel),
    "LSTM Language Model Transformer", Microsoft.ML.Lstm.LstmLanguageModelTransformer.LoaderSignature)]

namespace Microsoft.ML.Lstm;

// Format LSTMLANG, version 1:
//   main stream: the settings block (OptionsFormat: every LstmLanguageModelOptions value, the input and output columns, the
//   token level and the seed used included), the vocabulary (count, then each token; the first two are the boundary and
//   unknown names), the training history (HistoryFormat); entry Weights.bin: the float parameters of the network the
//   settings and vocabulary size describe, in LstmNetworkSpec.ParameterSlots order, checked against the parameter count
//   before allocation. The main stream and the entry each end in a SHA-256 of their bytes, checked at load.
// Later versions only go up; files of every earlier version keep loading.
public sealed partial class LstmLanguageModelTransformer : ICanSaveModel
{
    /// <summary>Loader signature registered with ML.NET's component catalog.</summary>
    internal const string LoaderSignature = "LstmLanguageModel";

    private static readonly ModelFormat Format = new("LSTMLANG", LoaderSignature, typeof(LstmLanguageModelTransformer),
        versionWritten: 0x00010001, versionReadable: 0x00010001, versionWeCanReadBack: 0x00010001, checksumsSince: 0x00010001);

    private const int MaxTokenBytes = 4096;

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        var w = ModelWriter.Begin(ctx, Format);
        OptionsFormat.Write(w, _options);
        w.WriteInt32("vocabularyCount", _vocabulary.Count);
        foreach (var token in _vocabulary.Tokens) w.WriteString("token", token);
        HistoryFormat.Write(w, _history);
        w.WriteBlob("Weights.bin", b => b.WriteSingleArray("weights", _net.Parameters.Values));
        w.End();
    }

    private static LstmLanguageModelTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(env);
        var r = ModelReader.Begin(ctx, Format);
        var options = OptionsFormat.Read<LstmLanguageModelOptions>(r, o => o.Validate());
        int count = r.ReadInt32("vocabularyCount", 2, TextVocabulary.MaxTokens);
        var tokens = new List<string>(Math.Min(count, 1 << 16));
        for (int i = 0; i < count; i++)
        {
            if (r.Remaining < 4) throw CorruptModel.Field(r.Component, "token", $"the stream ends after {i} of {count} tokens");
            tokens.Add(r.ReadString("token", MaxTokenBytes, allowEmpty: false));
        }
        TextVocabulary vocabulary;
        try { vocabulary = new TextVocabulary(options.Level, tokens); }
        catch (ArgumentException e) { throw CorruptModel.Field(r.Component, "token", e.Message, e); }
        var history = HistoryFormat.Read(r);
        var spec = options.SpecFor(vocabulary.Count);
        try { spec.Validate(); }
        catch (ArgumentException e) { throw CorruptModel.Field(r.Component, "spec", e.Message, e); }
        var net = ModelParametersFormat.ReadNetwork(r, "Weights.bin", spec);
        r.EnsureFullyRead();
        return new LstmLanguageModelTransformer(options, vocabulary, net, history);
    }
}
