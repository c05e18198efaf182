using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.Lstm.Forecasting;
using Microsoft.ML.Lstm.MLNet.Internals;

namespace Microsoft.ML.Lstm;

// Engine state format LSTMSTAT, version 1 (LstmForecastingEngine.SaveState): one series' carried state without the model,
// a few KB, for services that store a state per series (one grain per series) and restore it into the same model.
//   header (16 bytes):  magic "LSTMSTAT" (8 ASCII bytes), format version (uint32), body length in bytes (int32);
//   body:               windowSize (int32), horizon (int32), the series key (string, empty for a single-series model),
//                       the model fingerprint (string: SHA-256 of the model's definition, hex), then the state as the model
//                       zip stores it (WriteState: count, recent values and covariates, baseline state; then per ensemble
//                       member WriteMemberState: h, c, last head output);
//   trailer (8 bytes):  the first 8 bytes of SHA-256 over header and body.
// All numbers little-endian, fields as ModelStreamWriter writes them. Reading checks the magic, the version, the length
// (bounded by what a state of this model can hold: never allocated from the claimed length), the checksum, then that the state
// was written for this model (window, horizon, series, fingerprint) before reading the arrays.
public sealed partial class LstmForecastingTransformer
{
    private const string StateComponent = "LstmForecastEngineState";
    private const uint StateVersion = 1;
    private const int StateHeaderBytes = 16, StateChecksumBytes = 8, MaxStateKeyBytes = 4096;
    private static ReadOnlySpan<byte> StateMagic => "LSTMSTAT"u8;

    private string? _fingerprint;
    private int _maxStateBytes;

    /// <summary>
    /// SHA-256 (hex) of what the model computes with: the settings, the series keys, per series the preprocessing and the
    /// baseline, the calibration, the weights and covariate coefficients. Not the carried states: a checkpoint of a model
    /// keeps its fingerprint.
    /// </summary>
    internal string Fingerprint => _fingerprint ??= ComputeFingerprint();

    /// <summary>Writes series <paramref name="series"/>'s <paramref name="state"/> in the LSTMSTAT format.</summary>
    internal void WriteEngineState(Stream stream, int series, ForecastEngineState state)
    {
        var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            var w = new ModelStreamWriter(writer, StateComponent);
            w.WriteInt32("windowSize", _options.WindowSize);
            w.WriteInt32("horizon", _options.Horizon);
            w.WriteString("seriesKey", Columns.SeriesKey is null ? "" : SeriesKeys[series]);
            w.WriteString("modelFingerprint", Fingerprint);
            WriteState(w, state);
            for (int k = 0; k < Model.MemberCount; k++) WriteMemberState(w, state, k);
        }
        int length = checked((int)body.Length);
        var all = new byte[StateHeaderBytes + length + StateChecksumBytes];
        StateMagic.CopyTo(all);
        BinaryPrimitives.WriteUInt32LittleEndian(all.AsSpan(8), StateVersion);
        BinaryPrimitives.WriteInt32LittleEndian(all.AsSpan(12), length);
        body.GetBuffer().AsSpan(0, length).CopyTo(all.AsSpan(StateHeaderBytes));
        StateChecksum(all.AsSpan(0, StateHeaderBytes + length)).CopyTo(all.AsSpan(StateHeaderBytes + length));
        stream.Write(all);
    }

    /// <summary>
    /// Reads a state written by <see cref="WriteEngineState"/> for this model, and the index of its series.
    /// </summary>
    /// <param name="stream">Positioned at the state; read to the state's end.</param>
    /// <param name="seriesKey">The series the state must belong to; null accepts the series named in the state.</param>
    /// <exception cref="InvalidDataException">The bytes are not a state, truncated or corrupt.</exception>
    /// <exception cref="ArgumentException">The state was written for another model or another series.</exception>
    internal (int Series, ForecastEngineState State) ReadEngineState(Stream stream, string? seriesKey)
    {
        Span<byte> header = stackalloc byte[StateHeaderBytes];
        ReadExactly(stream, header, "header");
        if (!header[..8].SequenceEqual(StateMagic))
            throw CorruptModel.EngineState("magic", "the bytes do not start with 'LSTMSTAT': they are not an engine state.");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != StateVersion)
            throw CorruptModel.EngineState("version", $"format version {version}; this library reads version {StateVersion}.");
        int length = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        int max = _maxStateBytes > 0 ? _maxStateBytes : _maxStateBytes = MaxStateBytes();
        if (length < 0 || length > max)
            throw CorruptModel.EngineState("length",
                $"the body claims {length} bytes; a state of this model holds at most {max}: corrupt, or written for a larger model.");
        var all = ReadBounded(stream, header, length);
        if (!StateChecksum(all.AsSpan(0, StateHeaderBytes + length)).SequenceEqual(all.AsSpan(StateHeaderBytes + length)))
            throw CorruptModel.EngineState("checksum", "the checksum does not match: the bytes are corrupt.");

        var body = new MemoryStream(all, StateHeaderBytes, length, writable: false);
        using var reader = new BinaryReader(body, Encoding.UTF8);
        var r = new ModelStreamReader(reader, length, StateComponent);
        int window = r.ReadInt32("windowSize"), horizon = r.ReadInt32("horizon");
        string key = r.ReadString("seriesKey", MaxStateKeyBytes), fingerprint = r.ReadString("modelFingerprint", 128);
        CheckWrittenFor(window, horizon, key, fingerprint, seriesKey);
        int series = Columns.SeriesKey is null ? 0 : SeriesIndex(key);
        var (count, recent, recentExogenous, smoothing) = ReadState(r, smoothing: true, Model.ForSeries(series).Smoothing.Memory);
        var memberStates = new float[3][][];
        for (int p = 0; p < 3; p++) memberStates[p] = new float[Model.MemberCount][];
        for (int k = 0; k < Model.MemberCount; k++) ReadMemberState(r, memberStates, k);
        r.EnsureFullyRead();
        var state = new ForecastEngineState(count, recent, recentExogenous, memberStates[0], memberStates[1], memberStates[2], smoothing);
        try
        {
            Model.ForSeries(series).CheckState(state);
        }
        catch (ArgumentException e) { throw CorruptModel.EngineState("state", e.Message, e); }
        return (series, state);
    }

    private void CheckWrittenFor(int window, int horizon, string key, string fingerprint, string? seriesKey)
    {
        if (window != _options.WindowSize || horizon != _options.Horizon)
            throw new ArgumentException($"The engine state was written for a model with window {window} and horizon {horizon}; " +
                $"this model has window {_options.WindowSize} and horizon {_options.Horizon}.", "state");
        if (Columns.SeriesKey is null != (key.Length == 0))
            throw new ArgumentException(key.Length == 0
                ? $"The engine state is of a single-series model; this model is global over column '{Columns.SeriesKey}'."
                : $"The engine state is of series '{key}' of a global model; this model was trained on one series.", "state");
        if (seriesKey is not null && seriesKey != key)
            throw new ArgumentException($"The engine state is of series '{key}', not of series '{seriesKey}'.", "state");
        if (Columns.SeriesKey is not null && !_seriesIndex.ContainsKey(key))
            throw new ArgumentException($"The engine state is of series '{key}', which this model does not know.", "state");
        if (fingerprint != Fingerprint)
            throw new ArgumentException("The engine state was written for another model (same window and horizon, but other weights " +
                $"or settings: model fingerprint {Short(fingerprint)}, this model's {Short(Fingerprint)}).", "state");

        static string Short(string f) => f.Length > 12 ? f[..12] : f;
    }

    /// <summary>An upper bound on the body of a state of this model: its own largest state plus room for any series key.</summary>
    private int MaxStateBytes()
    {
        int recent = _states.Max(s => s.RecentValues.Length + s.RecentExogenous.Length + s.Smoothing.Length);
        var s0 = _states[0];
        long members = s0.Hidden.Sum(h => (long)h.Length) + s0.Cell.Sum(c => (long)c.Length) + s0.Output.Sum(o => (long)o.Length);
        long bytes = 8 * (long)recent + 4 * members + 4 * 3 * Model.MemberCount + 256 + 2 * MaxStateKeyBytes;
        return (int)Math.Min(bytes, MaxLength);
    }

    /// <summary>Header plus <paramref name="length"/> body bytes plus the checksum; allocates no more than the stream holds.</summary>
    private static byte[] ReadBounded(Stream stream, ReadOnlySpan<byte> header, int length)
    {
        long total = StateHeaderBytes + (long)length + StateChecksumBytes;
        if (stream.CanSeek && stream.Length - stream.Position < total - StateHeaderBytes)
            throw CorruptModel.EngineState("length",
                $"the body claims {length} bytes but only {stream.Length - stream.Position - StateChecksumBytes} follow: truncated.");
        if (!stream.CanSeek)
        {
            // Unknown length: read in chunks so a wrong length costs no more than the bytes actually there.
            var buffer = new MemoryStream();
            var chunk = new byte[(int)Math.Min(total - StateHeaderBytes, 81920)];
            while (buffer.Length < total - StateHeaderBytes)
            {
                int n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, total - StateHeaderBytes - buffer.Length));
                if (n == 0)
                    throw CorruptModel.EngineState("length", $"the body claims {length} bytes; the stream ended early: truncated.");
                buffer.Write(chunk, 0, n);
            }
            var read = new byte[total];
            header.CopyTo(read);
            buffer.GetBuffer().AsSpan(0, (int)buffer.Length).CopyTo(read.AsSpan(StateHeaderBytes));
            return read;
        }
        var all = new byte[total];
        header.CopyTo(all);
        ReadExactly(stream, all.AsSpan(StateHeaderBytes), "body");
        return all;
    }

    private static void ReadExactly(Stream stream, Span<byte> destination, string field)
    {
        try
        {
            stream.ReadExactly(destination);
        }
        catch (EndOfStreamException e)
        {
            throw CorruptModel.EngineState(field, "the stream ended early: the state is truncated.", e);
        }
    }

    private static byte[] StateChecksum(ReadOnlySpan<byte> bytes) => SHA256.HashData(bytes)[..StateChecksumBytes];

    private string ComputeFingerprint()
    {
        var sink = new MemoryStream();
        using (var writer = new BinaryWriter(sink, Encoding.UTF8, leaveOpen: true))
        {
            var w = new ModelStreamWriter(writer, StateComponent);
            OptionsFormat.Write(w, TrainedWith);
            foreach (var key in SeriesKeys) w.WriteString("key", key);
            var data = Model.ToData();
            for (int j = 0; j < data.Transforms.Length; j++)
            {
                WriteTransform(w, data.Transforms[j]);
                WriteSmoothing(w, data.Smoothing[j]);
            }
            w.WriteDoubleArray("calibration", data.Shared.CalibrationOffsets);
            // Written only when set, so that models saved before the setting existed keep their fingerprints.
            if (data.Shared.WidthsNeverNarrow) w.WriteBoolean("widthsNeverNarrow", true);
            for (int k = 0; k < data.Shared.NetworkParameters.Length; k++)
            {
                w.WriteSingleArray("weights", data.Shared.NetworkParameters[k]);
                w.WriteSingleArray("exogenousCoefficients", data.Shared.ExogenousCoefficients[k]);
            }
        }
        return Convert.ToHexStringLower(SHA256.HashData(sink.GetBuffer().AsSpan(0, (int)sink.Length)));
    }
}
