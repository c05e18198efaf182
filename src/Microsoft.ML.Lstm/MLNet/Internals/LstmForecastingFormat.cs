using Microsoft.ML;
using Microsoft.ML.Lstm.Forecasting;
using Microsoft.ML.Lstm.MLNet.Internals;
using Microsoft.ML.Runtime;

[assembly: LoadableClass(typeof(Microsoft.ML.Lstm.LstmForecastingTransformer), null, typeof(SignatureLoadModel),
    "LSTM Forecasting Transformer", Microsoft.ML.Lstm.LstmForecastingTransformer.LoaderSignature)]

namespace Microsoft.ML.Lstm;

/// <summary>
/// Saving and loading a forecaster inside the ML.NET model zip. Format version 1 (signature <c>LSTMFCST</c>):
/// main stream = columns (series, covariates, output, lower, upper, confidence level), the model
/// settings needed to rebuild it (horizon, confidence levels, hidden size, layers, covariate count),
/// the preprocessing (<see cref="SeriesTransform"/>), calibration offsets and the carried state
/// (count, recent values and covariates); entry <c>Members.bin</c> = per ensemble member its weights,
/// covariate coefficients, h, c and last head output. A checkpoint is the same format with the state
/// at the checkpoint.
/// </summary>
public sealed partial class LstmForecastingTransformer : ICanSaveModel
{
    internal const string LoaderSignature = "LstmForecastTransformer";
    private const int MaxLength = 1 << 28;

    private static readonly ModelFormat Format = new("LSTMFCST", LoaderSignature, typeof(LstmForecastingTransformer),
        versionWritten: 0x00010001, versionReadable: 0x00010001, versionWeCanReadBack: 0x00010001);

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

        var data = Forecaster.ToData();
        var o = data.Options;
        w.WriteInt32("horizon", o.Horizon);
        w.WriteDoubleArray("confidenceLevels", o.ConfidenceLevels);
        w.WriteInt32("hiddenSize", o.HiddenSize);
        w.WriteInt32("numLayers", o.NumLayers);
        var t = data.Transform;
        w.WriteBoolean("useLog", t.UseLog);
        w.WriteInt32("lag", t.Lag);
        w.WriteBoolean("levelInput", t.LevelInput);
        w.WriteDouble("drift", t.Drift);
        w.WriteDouble("scale", t.Scale);
        w.WriteDouble("levelMean", t.LevelMean);
        w.WriteDouble("levelScale", t.LevelScale);
        w.WriteDoubleArray("exogenousMean", t.ExogenousMean.ToArray());
        w.WriteDoubleArray("exogenousScale", t.ExogenousScale.ToArray());
        w.WriteDoubleArray("calibration", data.CalibrationOffsets);
        w.WriteInt64("count", State.Count);
        w.WriteDoubleArray("recentValues", State.RecentValues);
        w.WriteDoubleArray("recentExogenous", State.RecentExogenous);
        w.WriteInt32("members", data.NetworkParameters.Length);
        w.WriteBlob("Members.bin", b =>
        {
            for (int k = 0; k < data.NetworkParameters.Length; k++)
            {
                b.WriteSingleArray("weights", data.NetworkParameters[k]);
                b.WriteSingleArray("exogenousCoefficients", data.ExogenousCoefficients[k]);
                b.WriteSingleArray("hidden", State.Hidden[k]);
                b.WriteSingleArray("cell", State.Cell[k]);
                b.WriteSingleArray("output", State.Output[k]);
            }
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
        var columns = new ForecastColumns(input, exogenous, output, lower.Length == 0 ? null : lower, upper.Length == 0 ? null : upper, level);

        var options = new LstmForecasterOptions
        {
            Horizon = r.ReadInt32("horizon", 1, 100_000),
            ConfidenceLevels = r.ReadDoubleArray("confidenceLevels", 64),
            HiddenSize = r.ReadInt32("hiddenSize", 1, 1 << 16),
            NumLayers = r.ReadInt32("numLayers", 1, 64),
            ExogenousCount = exogenous.Length,
        };
        SeriesTransform transform;
        double[] calibration, recent, recentExo;
        long count;
        int members;
        try
        {
            transform = new SeriesTransform(r.ReadBoolean("useLog"), r.ReadInt32("lag", 1, 1 << 20), r.ReadBoolean("levelInput"),
                r.ReadDouble("drift"), r.ReadDouble("scale"), r.ReadDouble("levelMean"), r.ReadDouble("levelScale"),
                r.ReadDoubleArray("exogenousMean", 4096), r.ReadDoubleArray("exogenousScale", 4096));
        }
        catch (ArgumentException e) { throw CorruptModel.Field(r.Component, "transform", e.Message, e); }
        calibration = r.ReadDoubleArray("calibration", MaxLength);
        count = r.ReadInt64("count", 1, long.MaxValue);
        recent = r.ReadDoubleArray("recentValues", 1 << 20);
        recentExo = r.ReadDoubleArray("recentExogenous", MaxLength);
        members = r.ReadInt32("members", 1, 1024);
        r.EnsureFullyRead();

        var (weights, coefficients, hidden, cell, last) = r.ReadBlob("Members.bin", b =>
        {
            var parts = Enumerable.Range(0, 5).Select(_ => new float[members][]).ToArray();
            string[] names = ["weights", "exogenousCoefficients", "hidden", "cell", "output"];
            for (int k = 0; k < members; k++)
                for (int p = 0; p < 5; p++) parts[p][k] = b.ReadSingleArray(names[p], MaxLength);
            b.EnsureFullyRead();
            return (parts[0], parts[1], parts[2], parts[3], parts[4]);
        });
        try
        {
            var forecaster = LstmForecaster.FromData(new LstmForecasterData(options, transform, weights, coefficients, calibration));
            var state = new ForecastEngineState(count, recent, recentExo, hidden, cell, last);
            forecaster.RestoreEngine(state); // validates the state against the model
            return new LstmForecastingTransformer(columns, forecaster, state);
        }
        catch (ArgumentException e) { throw CorruptModel.Field(r.Component, "model", e.Message, e); }
    }
}
