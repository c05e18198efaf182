using Microsoft.ML;
using Microsoft.ML.Lstm.Forecasting;
using Microsoft.ML.Lstm.MLNet.Internals;
using Microsoft.ML.Runtime;

[assembly: LoadableClass(typeof(Microsoft.ML.Lstm.LstmForecastingTransformer), null, typeof(SignatureLoadModel),
    "LSTM Forecasting Transformer", Microsoft.ML.Lstm.LstmForecastingTransformer.LoaderSignature)]

namespace Microsoft.ML.Lstm;

/// <summary>
/// Saving and loading a forecaster inside the ML.NET model zip (signature <c>LSTMFCST</c>). Version 1:
/// main stream = columns (series, covariates, output, lower, upper, confidence level), the model
/// settings needed to rebuild it (horizon, confidence levels, hidden size, layers, covariate count),
/// the preprocessing (<see cref="SeriesTransform"/>), calibration offsets and the carried state
/// (count, recent values and covariates); entry <c>Members.bin</c> = per ensemble member its weights,
/// covariate coefficients, h, c and last head output. Version 2 (global models) appends to the main
/// stream the series key column ("" for none), the series count, every series' key, and for series
/// 1 … S−1 their transform and state; and to <c>Members.bin</c>, per further series and member, h, c and
/// the last head output. Version 3 (Box–Cox power transform) stores in every transform the Box–Cox λ
/// (a double: 1 = none, 0 = log) where versions 1 and 2 store the boolean <c>useLog</c>. Version 1 files
/// load as one series, and version 1 and 2 transforms as λ = 0 or 1. Version 4 appends to the main stream
/// how the members' intervals combine (<see cref="EnsembleIntervals"/> as an int); earlier versions load as
/// <see cref="EnsembleIntervals.QuantileAverage"/>, the only kind they knew, so their forecasts do not change.
/// Version 5 (<see cref="CalibrationTails.Separate"/>) lets the calibration array hold the lower offsets
/// followed by the upper ones (2 × levels × H values) instead of one offset for both ends (levels × H, the
/// only form earlier versions know and the form version 5 still writes when the two are equal).
/// A checkpoint is the same format with the state at the checkpoint.
/// </summary>
public sealed partial class LstmForecastingTransformer : ICanSaveModel
{
    internal const string LoaderSignature = "LstmForecastTransformer";
    private const int MaxLength = 1 << 28, MaxSeries = 1 << 24;
    private const uint GlobalVersion = 0x00010002, PowerVersion = 0x00010003, IntervalsVersion = 0x00010004, TailsVersion = 0x00010005;

    private static readonly ModelFormat Format = new("LSTMFCST", LoaderSignature, typeof(LstmForecastingTransformer),
        versionWritten: TailsVersion, versionReadable: TailsVersion, versionWeCanReadBack: 0x00010001);

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        var w = ModelWriter.Begin(ctx, Format);
        var c = Columns;
        w.WriteString("input", c.Input);
        w.WriteInt32("exogenousCount", c.Exogenous.Length);
        foreach (var e in c.Exogenous) w.WriteString("exogenous", e);
        w.WriteString("output", c.Output);
        w.WriteString("lower", c.Lower ?? "");
        w.WriteString("upper", c.Upper ?? "");
        w.WriteSingle("confidenceLevel", c.ConfidenceLevel);

        var data = Model.ToData();
        var o = data.Shared.Options;
        w.WriteInt32("horizon", o.Horizon);
        w.WriteDoubleArray("confidenceLevels", o.ConfidenceLevels);
        w.WriteInt32("hiddenSize", o.HiddenSize);
        w.WriteInt32("numLayers", o.NumberOfLayers);
        WriteTransform(w, data.Transforms[0]);
        w.WriteDoubleArray("calibration", data.Shared.CalibrationOffsets);
        WriteState(w, _states[0]);
        w.WriteInt32("members", data.Shared.NetworkParameters.Length);
        w.WriteString("seriesKey", c.SeriesKey ?? "");
        w.WriteInt32("seriesCount", _states.Length);
        foreach (var key in SeriesKeys) w.WriteString("key", key);
        for (int j = 1; j < _states.Length; j++)
        {
            WriteTransform(w, data.Transforms[j]);
            WriteState(w, _states[j]);
        }
        w.WriteInt32("ensembleIntervals", (int)o.EnsembleIntervals);
        w.WriteBlob("Members.bin", b =>
        {
            var shared = data.Shared;
            for (int k = 0; k < shared.NetworkParameters.Length; k++)
            {
                b.WriteSingleArray("weights", shared.NetworkParameters[k]);
                b.WriteSingleArray("exogenousCoefficients", shared.ExogenousCoefficients[k]);
                WriteMemberState(b, _states[0], k);
            }
            for (int j = 1; j < _states.Length; j++)
                for (int k = 0; k < shared.NetworkParameters.Length; k++) WriteMemberState(b, _states[j], k);
        });
    }

    private static LstmForecastingTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(env);
        var r = ModelReader.Begin(ctx, Format);
        string input = r.ReadString("input", 4096, allowEmpty: false);
        var exogenous = new string[r.ReadInt32("exogenousCount", 0, 4096)];
        for (int i = 0; i < exogenous.Length; i++) exogenous[i] = r.ReadString("exogenous", 4096, allowEmpty: false);
        string output = r.ReadString("output", 4096, allowEmpty: false);
        string lower = r.ReadString("lower", 4096), upper = r.ReadString("upper", 4096);
        float level = r.ReadSingle("confidenceLevel");

        var options = new LstmForecasterOptions
        {
            Horizon = r.ReadInt32("horizon", 1, 100_000),
            ConfidenceLevels = r.ReadDoubleArray("confidenceLevels", 64),
            HiddenSize = r.ReadInt32("hiddenSize", 1, 1 << 16),
            NumberOfLayers = r.ReadInt32("numLayers", 1, 64),
            ExogenousCount = exogenous.Length,
        };
        var transforms = new List<SeriesTransform> { ReadTransform(r) };
        var calibration = r.ReadDoubleArray("calibration", MaxLength);
        var heads = new List<(long Count, double[] Recent, double[] RecentExogenous)> { ReadState(r) };
        int members = r.ReadInt32("members", 1, 1024);
        string seriesKey = "";
        var keys = Array.Empty<string>();
        if (r.VersionWritten >= GlobalVersion)
        {
            seriesKey = r.ReadString("seriesKey", 4096);
            int count = r.ReadInt32("seriesCount", 1, MaxSeries);
            keys = Enumerable.Range(0, seriesKey.Length == 0 ? 0 : count).Select(_ => r.ReadString("key", 4096, allowEmpty: false)).ToArray();
            for (int j = 1; j < count; j++)
            {
                transforms.Add(ReadTransform(r));
                heads.Add(ReadState(r));
            }
        }
        options.EnsembleIntervals = r.VersionWritten >= IntervalsVersion
            ? (EnsembleIntervals)r.ReadInt32("ensembleIntervals", 0, Enum.GetValues<EnsembleIntervals>().Length - 1)
            : EnsembleIntervals.QuantileAverage;
        r.EnsureFullyRead();
        if (r.VersionWritten < TailsVersion && calibration.Length != options.ConfidenceLevels.Length * options.Horizon)
            throw CorruptModel.Field(r.Component, "calibration", $"a version {r.VersionWritten & 0xFFFF} model holds one offset per confidence level and horizon ({options.ConfidenceLevels.Length * options.Horizon}), not {calibration.Length}.");

        var (weights, coefficients, memberStates) = r.ReadBlob("Members.bin", b =>
        {
            var w = new float[members][];
            var beta = new float[members][];
            var states = Enumerable.Range(0, heads.Count).Select(_ => new float[3][][]).ToArray();
            foreach (var s in states) for (int p = 0; p < 3; p++) s[p] = new float[members][];
            for (int k = 0; k < members; k++)
            {
                w[k] = b.ReadSingleArray("weights", MaxLength);
                beta[k] = b.ReadSingleArray("exogenousCoefficients", MaxLength);
                ReadMemberState(b, states[0], k);
            }
            for (int j = 1; j < heads.Count; j++)
                for (int k = 0; k < members; k++) ReadMemberState(b, states[j], k);
            b.EnsureFullyRead();
            return (w, beta, states);
        });
        try
        {
            var shared = new LstmForecasterData(options, transforms[0], weights, coefficients, calibration);
            var model = GlobalLstmForecaster.FromData(new GlobalLstmForecasterData(shared, [.. transforms]));
            var states = heads.Select((h, j) => new ForecastEngineState(h.Count, h.Recent, h.RecentExogenous, memberStates[j][0], memberStates[j][1], memberStates[j][2])).ToArray();
            for (int j = 0; j < states.Length; j++) model.RestoreEngine(j, states[j]); // validates the states against the model
            var columns = new ForecastColumns(input, exogenous, output, lower.Length == 0 ? null : lower, upper.Length == 0 ? null : upper, level,
                seriesKey.Length == 0 ? null : seriesKey);
            if (keys.Distinct().Count() != keys.Length) throw new ArgumentException("The series keys are not distinct.");
            return new LstmForecastingTransformer(columns, model, keys, states);
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
            double lambda = r.VersionWritten >= PowerVersion ? r.ReadDouble("boxCoxLambda") : r.ReadBoolean("useLog") ? 0 : 1;
            return new SeriesTransform(lambda, r.ReadInt32("lag", 1, 1 << 20), r.ReadBoolean("levelInput"),
                r.ReadDouble("drift"), r.ReadDouble("scale"), r.ReadDouble("levelMean"), r.ReadDouble("levelScale"),
                r.ReadDoubleArray("exogenousMean", 4096), r.ReadDoubleArray("exogenousScale", 4096));
        }
        catch (ArgumentException e) { throw CorruptModel.Field(r.Component, "transform", e.Message, e); }
    }

    /// <summary>The series-level part of an engine state: count, recent values and covariates.</summary>
    private static void WriteState(ModelStreamWriter w, ForecastEngineState state)
    {
        w.WriteInt64("count", state.Count);
        w.WriteDoubleArray("recentValues", state.RecentValues);
        w.WriteDoubleArray("recentExogenous", state.RecentExogenous);
    }

    private static (long Count, double[] Recent, double[] RecentExogenous) ReadState(ModelStreamReader r) =>
        (r.ReadInt64("count", 1, long.MaxValue), r.ReadDoubleArray("recentValues", 1 << 20), r.ReadDoubleArray("recentExogenous", MaxLength));

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
        state[1][k] = b.ReadSingleArray("cell", MaxLength);
        state[2][k] = b.ReadSingleArray("output", MaxLength);
    }
}
