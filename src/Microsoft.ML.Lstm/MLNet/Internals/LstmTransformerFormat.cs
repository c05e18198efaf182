using Microsoft.ML;
using Microsoft.ML.Lstm.MLNet.Internals;
using Microsoft.ML.Runtime;

[assembly: LoadableClass(typeof(Microsoft.ML.Lstm.LstmTransformer), null, typeof(SignatureLoadModel),
    "LSTM Transformer", Microsoft.ML.Lstm.LstmTransformer.LoaderSignature)]

namespace Microsoft.ML.Lstm;

// Format LSTMTRNS, version 5: the trained model as ModelParametersFormat writes it (main stream: task, settings block, token
//   key count, output size, word vocabulary, label key values, training history; entry Weights.bin: the weights); the main
//   stream and the entry each end in a SHA-256 of their bytes (ModelStreamWriter.WriteChecksum), checked at load.
// Version 1 had no training history: its models load with an empty one. Version 2 had no Pooling option (and no
// attention weights): its models load with Pooling Last, the only head it had. Version 3 had no word vocabulary (text input)
// nor the tagging and CTC tasks. Version 4 had no checksums.
// Later versions only go up; files of every earlier version keep loading.
public sealed partial class LstmTransformer : ICanSaveModel
{
    /// <summary>Loader signature registered with ML.NET's component catalog.</summary>
    internal const string LoaderSignature = "LstmTransformer";

    private static readonly ModelFormat Format = new("LSTMTRNS", LoaderSignature, typeof(LstmTransformer),
        versionWritten: WithChecksums, versionReadable: WithChecksums, versionWeCanReadBack: 0x00010001,
        checksumsSince: WithChecksums);

    // Earlier code cannot read a later file (the history, the Pooling option): it is told the file is too new.
    private const uint WithHistory = 0x00010002;
    private const uint WithPooling = 0x00010003;
    private const uint WithWords = 0x00010004;
    private const uint WithChecksums = 0x00010005;

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        var w = ModelWriter.Begin(ctx, Format);
        ModelParametersFormat.Write(w, Model);
        w.End();
    }

    private static LstmTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(env);
        var r = ModelReader.Begin(ctx, Format);
        var model = ModelParametersFormat.Read(r, withHistory: r.VersionWritten >= WithHistory,
            withWords: r.VersionWritten >= WithWords, o => o.Validate());
        r.EnsureFullyRead();
        return new LstmTransformer(model);
    }
}
