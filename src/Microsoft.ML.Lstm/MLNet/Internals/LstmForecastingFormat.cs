using Microsoft.ML;
using Microsoft.ML.Lstm.Forecasting;
using Microsoft.ML.Lstm.MLNet.Internals;
using Microsoft.ML.Runtime;

[assembly: LoadableClass(typeof(Microsoft.ML.Lstm.LstmForecastingTransformer), null, typeof(SignatureLoadModel),
    "LSTM Forecasting Transformer", Microsoft.ML.Lstm.LstmForecastingTransformer.LoaderSignature)]

namespace Microsoft.ML.Lstm;

// Format LSTMFCST, version 5:
//   main stream: the settings block (OptionsFormat: every LstmForecastingOptions value); the series count and, for a global model, every
//   series' key; per series its preprocessing (SeriesTransform), its statistical baseline (the count of seasonal
//   adjustments and, for each, its indices and whether they multiply; α, β, φ; the autoregression's coefficients and
//   mean) and the series part of its carried state (count, recent values and covariates, the baseline state: smoothing
//   level and trend, then the autoregression's last p + 1 adjusted values); the calibration offsets (lower then upper,
//   2 × levels × H) and whether interval widths never narrow with the horizon (IntervalCalibration.WidthsNeverNarrow);
//   the member count; per member its training history (HistoryFormat);
//   entry Members.bin: per ensemble member its weights and covariate coefficients, then per series and member the
//   LSTM part of the state (h, c and the last head output).
// The main stream and Members.bin each end in a SHA-256 of their bytes (ModelStreamWriter.WriteChecksum), checked at load.
// A checkpoint is the same format with the state at the checkpoint.
// Version 1 had no exponential smoothing: its models load with ExponentialSmoothingWeight 0.
// Version 2 had no autoregression and no history: its models load with the smoothing alone as their baseline (as they
// were trained) and empty histories. Version 3 had no checksums. Version 4 did not carry interval widths forward: its models
// load with WidthsNeverNarrow false and forecast as they did.
// Loading any version checks every count against the bytes present, the weights' count against what the settings need before
// a network is built, and the stored values against what training leaves (ForecastFormatChecks).
// Later versions only go up; files of every earlier version keep loading.
public sealed partial class LstmForecastingTransformer : ICanSaveModel
{
    internal const string LoaderSignature = "LstmForecastTransformer";
    private const int MaxLength = 1 << 28, MaxSeries = 1 << 24;

    private static readonly ModelFormat Format = new("LSTMFCST", LoaderSignature, typeof(LstmForecastingTransformer),
        versionWritten: WithWidthsNeverNarrow, versionReadable: WithWidthsNeverNarrow, versionWeCanReadBack: 0x00010001,
        checksumsSince: WithChecksums);

    // Earlier code cannot read a later file (the smoothing blocks, the autoregression): it is told the file is too new.
    private const uint WithSmoothing = 0x00010002;
    private const uint WithAutoregression = 0x00010003;
    private const uint WithChecksums = 0x00010004;
    private const uint WithWidthsNeverNarrow = 0x00010005;

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        var w = ModelWriter.Begin(ctx, Format);
        OptionsFormat.Write(w, TrainedWith);
        var data = Model.ToData();
        w.WriteInt32("seriesCount", _states.Length);
        foreach (var key in SeriesKeys) w.WriteString("key", key);
        for (int j = 0; j < _states.Length; j++)
        {
            WriteTransform(w, data.Transforms[j]);
            WriteSmoothing(w, data.Smoothing[j]);
            WriteState(w, _states[j]);
        }
        w.WriteDoubleArray("calibration", data.Shared.CalibrationOffsets);
        w.WriteBoolean("widthsNeverNarrow", data.Shared.WidthsNeverNarrow);
        w.WriteInt32("members", data.Shared.NetworkParameters.Length);
        foreach (var history in TrainingHistory) HistoryFormat.Write(w, history);
        w.WriteBlob("Members.bin", b =>
        {
            var shared = data.Shared;
            for (int k = 0; k < shared.NetworkParameters.Length; k++)
            {
                b.WriteSingleArray("weights", shared.NetworkParameters[k]);
                b.WriteSingleArray("exogenousCoefficients", shared.ExogenousCoefficients[k]);
            }
            for (int j = 0; j < _states.Length; j++)
                for (int k = 0; k < shared.NetworkParameters.Length; k++) WriteMemberState(b, _states[j], k);
        });
        w.End();
    }

    private static LstmForecastingTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(env);
        var r = ModelReader.Begin(ctx, Format);
        bool smoothing = r.VersionWritten >= WithSmoothing, autoregression = r.VersionWritten >= WithAutoregression;
        var options = OptionsFormat.Read<LstmForecastingOptions>(r, o => o.Validate());
        if (!smoothing) options.ExponentialSmoothingWeight = 0;
        ForecastFormatChecks.Settings(r.Component, options, smoothing);
        int count = r.ReadCount("seriesCount", 1, MaxSeries, ForecastFormatChecks.MinSeriesBytes);
        if (options.SeriesKeyColumnName is null && count != 1)
            throw CorruptModel.Field(r.Component, "seriesCount", $"{count} series without a series key column");
        var keys = new string[options.SeriesKeyColumnName is null ? 0 : count];
        for (int j = 0; j < keys.Length; j++) keys[j] = r.ReadString("key", 4096, allowEmpty: false);
        if (keys.Distinct().Count() != keys.Length) throw CorruptModel.Field(r.Component, "key", "the series keys are not distinct");
        var transforms = new SeriesTransform[count];
        var baselines = new SmoothingBaseline[count];
        var heads = new (long Count, double[] Recent, double[] RecentExogenous, double[] Smoothing)[count];
        for (int j = 0; j < count; j++)
        {
            transforms[j] = ReadTransform(r);
            ForecastFormatChecks.Transform(r.Component, options, transforms[j], j);
            baselines[j] = smoothing ? ReadSmoothing(r, autoregression) : new SmoothingBaseline([], default, autoregression: null);
            ForecastFormatChecks.Smoothing(r.Component, options, baselines[j], j);
            heads[j] = ReadState(r, smoothing, baselines[j].Memory);
        }
        var calibration = r.ReadDoubleArray("calibration", MaxLength);
        bool widthsNeverNarrow = r.VersionWritten >= WithWidthsNeverNarrow && r.ReadBoolean("widthsNeverNarrow");
        int members = r.ReadInt32("members", 1, 1024);
        if (members != options.EnsembleSize)
            throw CorruptModel.Field(r.Component, "members", $"{members} members; the settings say EnsembleSize {options.EnsembleSize}");
        var histories = Enumerable.Range(0, members).Select(_ => autoregression ? HistoryFormat.Read(r) : []).ToArray();
        r.EnsureFullyRead();
        var settings = options.ToSettings((ulong)(uint)options.Seed!.Value);
        int parameters = ForecastFormatChecks.ParameterCount(r.Component, settings, transforms[0]);

        var (weights, coefficients, memberStates) = r.ReadBlob("Members.bin", b =>
        {
            var w = new float[members][];
            var beta = new float[members][];
            for (int k = 0; k < members; k++)
            {
                w[k] = b.ReadSingleArray("weights", MaxLength);
                ForecastFormatChecks.Weights(b.Component, w[k], parameters, k);
                beta[k] = b.ReadSingleArray("exogenousCoefficients", MaxLength);
            }
            var states = Enumerable.Range(0, count).Select(_ => new float[3][][]).ToArray();
            foreach (var s in states) for (int p = 0; p < 3; p++) s[p] = new float[members][];
            for (int j = 0; j < count; j++)
                for (int k = 0; k < members; k++) ReadMemberState(b, states[j], k);
            b.EnsureFullyRead();
            return (w, beta, states);
        });
        try
        {
            var shared = new LstmForecasterData(settings, transforms[0], baselines[0], weights, coefficients, calibration,
                widthsNeverNarrow);
            var model = GlobalLstmForecaster.FromData(new GlobalLstmForecasterData(shared, transforms, baselines));
            var states = heads.Select((h, j) => new ForecastEngineState(h.Count, h.Recent, h.RecentExogenous,
                memberStates[j][0], memberStates[j][1], memberStates[j][2], h.Smoothing)).ToArray();
            for (int j = 0; j < states.Length; j++) model.ForSeries(j).CheckState(states[j]);
            return new LstmForecastingTransformer(options, model, keys, states, histories);
        }
        catch (ArgumentException e) { throw CorruptModel.Field(r.Component, "model", e.Message, e); }
    }

    private static void WriteTransform(ModelStreamWriter w, SeriesTransform t)
    {
        w.WriteDouble("boxCoxLambda", t.BoxCoxLambda);
        w.WriteInt32("lag", t.Lag);
        w.WriteBoolean("levelInput", t.LevelInput);
        w.WriteDouble("drift", t.Drift);
        w.WriteDouble("scale", t.Scale);
        w.WriteDouble("levelMean", t.LevelMean);
        w.WriteDouble("levelScale", t.LevelScale);
        w.WriteDoubleArray("exogenousMean", t.ExogenousMean.ToArray());
        w.WriteDoubleArray("exogenousScale", t.ExogenousScale.ToArray());
    }

    private static SeriesTransform ReadTransform(ModelReader r)
    {
        try
        {
            return new SeriesTransform(r.ReadDouble("boxCoxLambda"), r.ReadInt32("lag", 1, 1 << 20), r.ReadBoolean("levelInput"),
                r.ReadDouble("drift"), r.ReadDouble("scale"), r.ReadDouble("levelMean"), r.ReadDouble("levelScale"),
                r.ReadDoubleArray("exogenousMean", 4096), r.ReadDoubleArray("exogenousScale", 4096));
        }
        catch (ArgumentException e) { throw CorruptModel.Field(r.Component, "transform", e.Message, e); }
    }

    private static void WriteSmoothing(ModelStreamWriter w, SmoothingBaseline b)
    {
        w.WriteInt32("seasons", b.Seasons.Count);
        foreach (var season in b.Seasons)
        {
            w.WriteDoubleArray("seasonalIndices", season.Indices.ToArray());
            w.WriteBoolean("multiplicativeSeason", season.Multiplicative);
        }
        w.WriteDouble("alpha", b.Parameters.Alpha);
        w.WriteDouble("beta", b.Parameters.Beta);
        w.WriteDouble("phi", b.Parameters.Phi);
        var ar = b.Autoregression!;
        w.WriteDoubleArray("arCoefficients", [.. ar.Coefficients]);
        w.WriteDouble("arMean", ar.Mean);
    }

    private static SmoothingBaseline ReadSmoothing(ModelReader r, bool autoregression)
    {
        var seasons = new (double[] Indices, bool Multiplicative)[r.ReadInt32("seasons", 0, 16)];
        for (int i = 0; i < seasons.Length; i++)
            seasons[i] = (r.ReadDoubleArray("seasonalIndices", 1 << 20), r.ReadBoolean("multiplicativeSeason"));
        var p = new DampedTrend { Alpha = r.ReadDouble("alpha"), Beta = r.ReadDouble("beta"), Phi = r.ReadDouble("phi") };
        if (!(p.Alpha is > 0 and <= 1 && p.Beta is >= 0 and <= 1 && p.Phi is > 0 and <= 1))
            throw CorruptModel.Field(r.Component, "smoothing", $"α {p.Alpha}, β {p.Beta}, φ {p.Phi} are not all in (0, 1]");
        try
        {
            var ar = autoregression
                ? Autoregression.FromCoefficients(r.ReadDoubleArray("arCoefficients", Autoregression.MaxOrder), r.ReadDouble("arMean"),
                    "arCoefficients")
                : null;
            return new SmoothingBaseline(
                [.. seasons.Select(s => SeasonalAdjustment.FromIndices(s.Indices, s.Multiplicative, "seasonalIndices"))], p, ar);
        }
        catch (ArgumentException e) { throw CorruptModel.Field(r.Component, e.ParamName ?? "smoothing", e.Message, e); }
    }

    /// <summary>The series-level part of an engine state: count, recent values and covariates, smoothing level and trend.</summary>
    private static void WriteState(ModelStreamWriter w, ForecastEngineState state)
    {
        w.WriteInt64("count", state.Count);
        w.WriteDoubleArray("recentValues", state.RecentValues);
        w.WriteDoubleArray("recentExogenous", state.RecentExogenous);
        w.WriteDoubleArray("smoothing", state.Smoothing);
    }

    private static (long Count, double[] Recent, double[] RecentExogenous, double[] Smoothing) ReadState(ModelStreamReader r,
        bool smoothing, int memory) =>
        (r.ReadInt64("count", 1, long.MaxValue), r.ReadDoubleArray("recentValues", 1 << 20),
            r.ReadDoubleArray("recentExogenous", MaxLength), smoothing ? r.ReadDoubleArray("smoothing", 2 + memory) : [0, 0]);

    /// <summary>Member <paramref name="k"/>'s part of an engine state: h, c and the last head output.</summary>
    private static void WriteMemberState(ModelStreamWriter b, ForecastEngineState state, int k)
    {
        b.WriteSingleArray("hidden", state.Hidden[k]);
        b.WriteSingleArray("cell", state.Cell[k]);
        b.WriteSingleArray("output", state.Output[k]);
    }

    private static void ReadMemberState(ModelStreamReader b, float[][][] state, int k)
    {
        state[0][k] = b.ReadSingleArray("hidden", MaxLength);
        ForecastFormatChecks.Hidden(b.Component, state[0][k], k);
        state[1][k] = b.ReadSingleArray("cell", MaxLength);
        state[2][k] = b.ReadSingleArray("output", MaxLength);
    }
}
