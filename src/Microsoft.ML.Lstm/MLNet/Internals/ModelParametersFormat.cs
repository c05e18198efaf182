using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// A trained <see cref="LstmModelParameters"/> in a model: main stream task (string), the settings block (OptionsFormat:
/// every LstmOptions value), token key count (int32, 0 = float features), output size (int32), the word vocabulary of a
/// text feature column (bool present; count; one "kind␟text" string each — absent from files written before it), the label key values
/// (bool present; item type string; count; one string each), the training history (HistoryFormat); entry Weights.bin: the
/// float parameters in LstmNetworkSpec.ParameterSlots order, checked against the parameter count before allocation.
/// Written by the scorer (LSTMTRNS) and the featurizer (LSTMFEAT), each behind its own header and version.
/// </summary>
internal static class ModelParametersFormat
{
    /// <summary>Writes <paramref name="m"/>, its weights in entry <paramref name="weightsEntry"/>.</summary>
    public static void Write(ModelWriter w, LstmModelParameters m, string weightsEntry = "Weights.bin")
    {
        w.WriteString("task", m.Task.ToString());
        OptionsFormat.Write(w, m.TrainedWith);
        w.WriteInt32("tokenKeyCount", m.TokenKeyCount);
        w.WriteInt32("outputSize", m.OutputSize);
        w.WriteBoolean("hasWords", m.Words is not null);
        if (m.Words is { } words)
        {
            w.WriteInt32("wordCount", words.Entries.Count);
            foreach (var e in words.Entries) w.WriteString("word", e);
        }
        w.WriteBoolean("hasKeyValues", m.LabelKeyValues is not null);
        if (m.LabelKeyValues is { } kv)
        {
            w.WriteString("keyValueType", kv.ItemType);
            w.WriteInt32("keyValueCount", kv.Values.Length);
            foreach (var v in kv.Values) w.WriteString("keyValue", v);
        }
        HistoryFormat.Write(w, m.TrainingHistory);
        w.WriteBlob(weightsEntry, b => b.WriteSingleArray("weights", m.Network.Parameters.Values));
    }

    /// <summary>
    /// Reads what <see cref="Write"/> wrote (without the history for files written before it was kept); the caller checks
    /// that the main stream is fully read.
    /// </summary>
    public static LstmModelParameters Read(ModelReader r, bool withHistory, bool withWords, Action<LstmOptions> validate,
        string weightsEntry = "Weights.bin")
    {
        string taskName = r.ReadString("task", 64, allowEmpty: false);
        if (!Enum.TryParse<LstmTask>(taskName, out var task) || !Enum.IsDefined(task))
            throw CorruptModel.Field(r.Component, "task", $"unknown task '{taskName}'");
        var options = OptionsFormat.Read(r, validate);
        int keyCount = r.ReadInt32("tokenKeyCount", 0, LstmNetworkSpec.MaxWidth - 1);
        int outputSize = r.ReadInt32("outputSize", 1, LstmNetworkSpec.MaxWidth);
        var words = withWords && r.ReadBoolean("hasWords") ? ReadWords(r) : null;
        var spec = LstmModelParameters.SpecFor(options, task, keyCount, words, outputSize);
        try { spec.Validate(); }
        catch (ArgumentException e) { throw CorruptModel.Field(r.Component, "spec", e.Message, e); }
        KeyValueNames? names = null;
        if (r.ReadBoolean("hasKeyValues"))
        {
            string type = r.ReadString("keyValueType", 16, allowEmpty: false);
            if (!KeyValueNames.ItemTypes.Contains(type))
                throw CorruptModel.Field(r.Component, "keyValueType", $"unknown key value type '{type}'");
            int count = r.ReadInt32("keyValueCount", 0, spec.OutputSize);
            var values = new string[count];
            for (int i = 0; i < count; i++) values[i] = r.ReadString("keyValue", 1 << 16);
            names = new KeyValueNames(type, values);
        }
        var history = withHistory ? HistoryFormat.Read(r) : [];
        var net = ReadNetwork(r, weightsEntry, spec);
        return new LstmModelParameters(task, options, keyCount, net, names, history, words);
    }

    /// <summary>
    /// The network <paramref name="spec"/> describes with its weights from entry <paramref name="weightsEntry"/>: the weights
    /// first, so a corrupt size (a hidden size of 16,000, say) is refused against the bytes present before a network of that
    /// size is allocated.
    /// </summary>
    public static LstmNetwork<float> ReadNetwork(ModelReader r, string weightsEntry, LstmNetworkSpec spec)
    {
        int n = spec.ParameterCount;
        var weights = r.ReadBlob(weightsEntry, b =>
        {
            var a = b.ReadSingleArray("weights", n);
            if (a.Length != n) throw CorruptModel.Field(b.Component, "weights", $"{a.Length} values; the network needs {n}");
            b.EnsureFullyRead();
            return a;
        });
        var net = new LstmNetwork<float>(spec);
        weights.CopyTo(net.Parameters.Values, 0);
        return net;
    }

    /// <summary>The word vocabulary, one entry read at a time (a corrupt count cannot allocate ahead of the bytes present).</summary>
    private static WordFeatures ReadWords(ModelReader r)
    {
        int count = r.ReadInt32("wordCount", 0, LstmNetworkSpec.MaxWidth - WordFeatures.Slots);
        var entries = new List<string>();
        for (int i = 0; i < count; i++) entries.Add(r.ReadString("word", WordFeatures.MaxLength + 2, allowEmpty: false));
        try { return new WordFeatures(entries); }
        catch (ArgumentException e) { throw CorruptModel.Field(r.Component, "word", e.Message, e); }
    }
}
