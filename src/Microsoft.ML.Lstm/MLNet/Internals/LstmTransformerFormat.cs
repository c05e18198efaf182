using Microsoft.ML;
using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.MLNet.Internals;
using Microsoft.ML.Runtime;

[assembly: LoadableClass(typeof(Microsoft.ML.Lstm.LstmTransformer), null, typeof(SignatureLoadModel),
    "LSTM Transformer", Microsoft.ML.Lstm.LstmTransformer.LoaderSignature)]

namespace Microsoft.ML.Lstm;

// Format LSTMTRNS, version 3:
//   main stream: task (string), the settings block (OptionsFormat: every LstmOptions value), token key count (int32, 0 = float
//   features), output size (int32), then the label key values (bool present; item type string; count; one
//   string each), then the training history (epoch count; per epoch its number, the planned count, training loss,
//   validation loss and metric (each: bool present, double), metric name, learning rate, seconds, sequences per second);
//   entry Weights.bin: the float parameters in LstmNetworkSpec.ParameterSlots order, checked against the
//   parameter count before allocation.
// Version 1 had no training history: its models load with an empty one. Version 2 had no Pooling option (and no
// attention weights): its models load with Pooling Last, the only head it had.
// Later versions only go up; files of every earlier version keep loading.
public sealed partial class LstmTransformer : ICanSaveModel
{
    /// <summary>Loader signature registered with ML.NET's component catalog.</summary>
    internal const string LoaderSignature = "LstmTransformer";

    private static readonly ModelFormat Format = new("LSTMTRNS", LoaderSignature, typeof(LstmTransformer),
        versionWritten: WithPooling, versionReadable: WithPooling, versionWeCanReadBack: 0x00010001);

    // Earlier code cannot read a later file (the history, the Pooling option): it is told the file is too new.
    private const uint WithHistory = 0x00010002;
    private const uint WithPooling = 0x00010003;

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        var w = ModelWriter.Begin(ctx, Format);
        var m = Model;
        w.WriteString("task", m.Task.ToString());
        OptionsFormat.Write(w, m.TrainedWith);
        w.WriteInt32("tokenKeyCount", m.TokenKeyCount);
        w.WriteInt32("outputSize", m.OutputSize);
        w.WriteBoolean("hasKeyValues", m.LabelKeyValues is not null);
        if (m.LabelKeyValues is { } kv)
        {
            w.WriteString("keyValueType", kv.ItemType);
            w.WriteInt32("keyValueCount", kv.Values.Length);
            foreach (var v in kv.Values) w.WriteString("keyValue", v);
        }
        HistoryFormat.Write(w, m.TrainingHistory);
        w.WriteBlob("Weights.bin", b => b.WriteSingleArray("weights", m.Network.Parameters.Values));
    }

    private static LstmTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(env);
        var r = ModelReader.Begin(ctx, Format);
        string taskName = r.ReadString("task", 64, allowEmpty: false);
        if (!Enum.TryParse<LstmTask>(taskName, out var task) || !Enum.IsDefined(task))
            throw CorruptModel.Field(r.Component, "task", $"unknown task '{taskName}'");
        var options = OptionsFormat.Read<LstmOptions>(r, o => o.Validate());
        int keyCount = r.ReadInt32("tokenKeyCount", 0, LstmNetworkSpec.MaxWidth - 1);
        int outputSize = r.ReadInt32("outputSize", 1, LstmNetworkSpec.MaxWidth);
        var spec = LstmModelParameters.SpecFor(options, keyCount, outputSize);
        try { spec.Validate(); }
        catch (ArgumentException e) { throw CorruptModel.Field(r.Component, "spec", e.Message, e); }
        KeyValueNames? names = null;
        if (r.ReadBoolean("hasKeyValues"))
        {
            string type = r.ReadString("keyValueType", 16, allowEmpty: false);
            int count = r.ReadInt32("keyValueCount", 0, spec.OutputSize);
            var values = new string[count];
            for (int i = 0; i < count; i++) values[i] = r.ReadString("keyValue", 1 << 16);
            names = new KeyValueNames(type, values);
        }
        var history = r.VersionWritten >= WithHistory ? HistoryFormat.Read(r) : [];
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
        return new LstmTransformer(
            new LstmModelParameters(task, options, keyCount, net, names, history));
    }
}
