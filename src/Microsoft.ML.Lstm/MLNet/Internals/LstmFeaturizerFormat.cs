using Microsoft.ML;
using Microsoft.ML.Lstm.MLNet.Internals;
using Microsoft.ML.Runtime;

[assembly: LoadableClass(typeof(Microsoft.ML.Lstm.LstmFeaturizerTransformer), null, typeof(SignatureLoadModel),
    "LSTM Featurizer Transformer", Microsoft.ML.Lstm.LstmFeaturizerTransformer.LoaderSignature)]

namespace Microsoft.ML.Lstm;

// Format LSTMFEAT, version 3 (the main stream and each entry end in a SHA-256 of their bytes, checked at load):
//   main stream: the output column name, the input column name, then the trained model as ModelParametersFormat writes
//   it (task, settings block, token key count, output size, label key values, training history); entry Weights.bin: its
//   weights; whether there is a backward encoder (bool) and, if so, it the same way with its weights in entry
//   BackwardWeights.bin. The label may be absent from the settings (an encoder learned without one).
// Version 1 had no word vocabulary in ModelParametersFormat: its encoders load without one. Version 2 had no checksums.
// Later versions only go up; files of every earlier version keep loading.
public sealed partial class LstmFeaturizerTransformer : ICanSaveModel
{
    /// <summary>Loader signature registered with ML.NET's component catalog.</summary>
    internal const string LoaderSignature = "LstmFeaturizer";

    private static readonly ModelFormat Format = new("LSTMFEAT", LoaderSignature, typeof(LstmFeaturizerTransformer),
        versionWritten: WithChecksums, versionReadable: WithChecksums, versionWeCanReadBack: 0x00010001,
        checksumsSince: WithChecksums);

    private const uint WithWords = 0x00010002;
    private const uint WithChecksums = 0x00010003;

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        var w = ModelWriter.Begin(ctx, Format);
        w.WriteString("outputColumnName", OutputColumnName);
        w.WriteString("inputColumnName", InputColumnName);
        ModelParametersFormat.Write(w, Model);
        w.WriteBoolean("hasBackwardModel", BackwardModel is not null);
        if (BackwardModel is not null) ModelParametersFormat.Write(w, BackwardModel, "BackwardWeights.bin");
        w.End();
    }

    private static LstmFeaturizerTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(env);
        var r = ModelReader.Begin(ctx, Format);
        string output = r.ReadString("outputColumnName", 4096, allowEmpty: false);
        string input = r.ReadString("inputColumnName", 4096, allowEmpty: false);
        bool words = r.VersionWritten >= WithWords;
        var model = ModelParametersFormat.Read(r, withHistory: true, words, o => o.ValidateSettings());
        var backward = r.ReadBoolean("hasBackwardModel")
            ? ModelParametersFormat.Read(r, withHistory: true, words, o => o.ValidateSettings(), "BackwardWeights.bin")
            : null;
        r.EnsureFullyRead();
        return new LstmFeaturizerTransformer(model, output, input, backward);
    }
}
