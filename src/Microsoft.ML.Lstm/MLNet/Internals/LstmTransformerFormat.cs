using Microsoft.ML;
using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.MLNet.Internals;
using Microsoft.ML.Runtime;

[assembly: LoadableClass(typeof(Microsoft.ML.Lstm.LstmTransformer), null, typeof(SignatureLoadModel),
    "LSTM Transformer", Microsoft.ML.Lstm.LstmTransformer.LoaderSignature)]

namespace Microsoft.ML.Lstm;

/// <summary>
/// Saving and loading inside the ML.NET model zip. Format version 1 (header signature <c>LSTMTRNS</c>):
/// <list type="number">
/// <item>main stream: task (string), feature column (string), features per step (int32), token key
/// count (int32, 0 = float features), the network spec (input size, hidden size, layers, bidirectional,
/// dropout, recurrent dropout, head, output size, vocabulary size), then the label key values (bool
/// present; item type string; count; one string each);</item>
/// <item>entry <c>Weights.bin</c>: the float parameters in <see cref="LstmNetworkSpec.ParameterSlots"/>
/// order, checked against the spec's parameter count before allocation.</item>
/// </list>
/// </summary>
public sealed partial class LstmTransformer : ICanSaveModel
{
    /// <summary>Loader signature registered with ML.NET's component catalog.</summary>
    internal const string LoaderSignature = "LstmTransformer";

    private static readonly ModelFormat Format = new("LSTMTRNS", LoaderSignature, typeof(LstmTransformer),
        versionWritten: 0x00010001, versionReadable: 0x00010001, versionWeCanReadBack: 0x00010001);

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        var w = ModelWriter.Begin(ctx, Format);
        var m = Model;
        var s = m.Spec;
        w.WriteString("task", m.Task.ToString());
        w.WriteString("featureColumn", m.FeatureColumnName);
        w.WriteInt32("featuresPerStep", m.FeaturesPerStep);
        w.WriteInt32("tokenKeyCount", m.TokenKeyCount);
        w.WriteInt32("inputSize", s.InputSize);
        w.WriteInt32("hiddenSize", s.HiddenSize);
        w.WriteInt32("numLayers", s.NumberOfLayers);
        w.WriteBoolean("bidirectional", s.Bidirectional);
        w.WriteDouble("dropout", s.Dropout);
        w.WriteDouble("recurrentDropout", s.RecurrentDropout);
        w.WriteInt32("head", (int)s.Head);
        w.WriteInt32("outputSize", s.OutputSize);
        w.WriteInt32("vocabularySize", s.VocabularySize);
        w.WriteBoolean("hasKeyValues", m.LabelKeyValues is not null);
        if (m.LabelKeyValues is { } kv)
        {
            w.WriteString("keyValueType", kv.ItemType);
            w.WriteInt32("keyValueCount", kv.Values.Length);
            foreach (var v in kv.Values) w.WriteString("keyValue", v);
        }
        w.WriteBlob("Weights.bin", b => b.WriteSingleArray("weights", m.Network.Parameters.Values));
    }

    private static LstmTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(env);
        var r = ModelReader.Begin(ctx, Format);
        string taskName = r.ReadString("task", 64, allowEmpty: false);
        if (!Enum.TryParse<LstmTask>(taskName, out var task) || !Enum.IsDefined(task))
            throw CorruptModel.Field(r.Component, "task", $"unknown task '{taskName}'");
        string feature = r.ReadString("featureColumn", 4096, allowEmpty: false);
        int perStep = r.ReadInt32("featuresPerStep", 1, LstmNetworkSpec.MaxWidth);
        int keyCount = r.ReadInt32("tokenKeyCount", 0, LstmNetworkSpec.MaxWidth);
        var spec = new LstmNetworkSpec
        {
            InputSize = r.ReadInt32("inputSize", 1, LstmNetworkSpec.MaxWidth),
            HiddenSize = r.ReadInt32("hiddenSize", 1, LstmNetworkSpec.MaxWidth),
            NumberOfLayers = r.ReadInt32("numLayers", 1, 64),
            Bidirectional = r.ReadBoolean("bidirectional"),
            Dropout = r.ReadDouble("dropout"),
            RecurrentDropout = r.ReadDouble("recurrentDropout"),
            Head = (HeadKind)r.ReadInt32("head", 0, 1),
            OutputSize = r.ReadInt32("outputSize", 1, LstmNetworkSpec.MaxWidth),
            VocabularySize = r.ReadInt32("vocabularySize", 0, LstmNetworkSpec.MaxWidth),
        };
        try { spec.Validate(); }
        catch (ArgumentException e) { throw CorruptModel.Field(r.Component, "spec", e.Message, e); }
        if ((keyCount > 0) != (spec.VocabularySize > 0) || (keyCount > 0 && spec.VocabularySize != keyCount + 1))
            throw CorruptModel.Field(r.Component, "tokenKeyCount", $"{keyCount} keys do not match a vocabulary of {spec.VocabularySize}");
        KeyValueNames? names = null;
        if (r.ReadBoolean("hasKeyValues"))
        {
            string type = r.ReadString("keyValueType", 16, allowEmpty: false);
            int count = r.ReadInt32("keyValueCount", 0, spec.OutputSize);
            var values = new string[count];
            for (int i = 0; i < count; i++) values[i] = r.ReadString("keyValue", 1 << 16);
            names = new KeyValueNames(type, values);
        }
        r.EnsureFullyRead();
        var net = new LstmNetwork<float>(spec);
        int n = net.Parameters.Count;
        var weights = r.ReadBlob("Weights.bin", b =>
        {
            var a = b.ReadSingleArray("weights", n);
            if (a.Length != n) throw CorruptModel.Field(b.Component, "weights", $"{a.Length} values; the network needs {n}");
            b.EnsureFullyRead();
            return a;
        });
        weights.CopyTo(net.Parameters.Values, 0);
        return new LstmTransformer(new LstmModelParameters(task, feature, perStep, keyCount, net, names));
    }
}
