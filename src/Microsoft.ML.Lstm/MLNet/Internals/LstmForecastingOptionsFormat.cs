namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// The settings block of a forecasting model (every <see cref="LstmForecastingOptions"/> value, the seed resolved),
/// so that a loaded model reports what it was trained with and rebuilds its networks from the same settings.
/// Every value read back is range-checked by <see cref="LstmForecastingOptions.Validate"/>; a failure names the
/// block as corrupt.
/// </summary>
internal static class LstmForecastingOptionsFormat
{
    private const int MaxName = 4096, MaxColumns = 4096;

    public static void Write(ModelStreamWriter w, LstmForecastingOptions o)
    {
        w.WriteString("outputColumn", o.OutputColumnName);
        w.WriteString("inputColumn", o.InputColumnName);
        w.WriteInt32("windowSize", o.WindowSize);
        w.WriteInt32("seriesLength", o.SeriesLength);
        w.WriteInt32("trainSize", o.TrainSize);
        w.WriteInt32("horizon", o.Horizon);
        w.WriteSingle("confidenceLevel", o.ConfidenceLevel);
        w.WriteString("lowerBoundColumn", o.ConfidenceLowerBoundColumn ?? "");
        w.WriteString("upperBoundColumn", o.ConfidenceUpperBoundColumn ?? "");
        w.WriteInt32("exogenousCount", o.ExogenousColumnNames.Length);
        foreach (var name in o.ExogenousColumnNames) w.WriteString("exogenousColumn", name);
        w.WriteString("seriesKeyColumn", o.SeriesKeyColumnName ?? "");
        w.WriteInt32("seasonalPeriod", o.SeasonalPeriod);
        w.WriteInt32("logTransform", (int)o.LogTransform);
        w.WriteInt32("powerTransform", (int)o.PowerTransform);
        w.WriteInt32("seasonalDifferencing", (int)o.SeasonalDifferencing);
        w.WriteInt32("levelInput", (int)o.LevelInput);
        w.WriteInt32("hiddenSize", o.HiddenSize);
        w.WriteInt32("numberOfLayers", o.NumberOfLayers);
        w.WriteInt32("numberOfEpochs", o.NumberOfEpochs);
        w.WriteInt32("earlyStoppingPatience", o.EarlyStoppingPatience);
        w.WriteInt32("batchSize", o.BatchSize);
        w.WriteDouble("learningRate", o.LearningRate);
        w.WriteDouble("weightDecay", o.WeightDecay);
        w.WriteDouble("weightAveraging", o.WeightAveraging);
        w.WriteDouble("gradientClipNorm", o.GradientClipNorm);
        w.WriteDouble("validationFraction", o.ValidationFraction);
        w.WriteBoolean("refit", o.Refit);
        w.WriteBoolean("calibrateIntervals", o.CalibrateIntervals);
        w.WriteInt32("calibrationTails", (int)o.CalibrationTails);
        w.WriteInt32("calibrationFolds", o.CalibrationFolds);
        w.WriteInt32("ensembleSize", o.EnsembleSize);
        w.WriteInt32("ensembleIntervals", (int)o.EnsembleIntervals);
        w.WriteInt32("numberOfThreads", o.NumberOfThreads ?? -1); // -1: null
        w.WriteInt32("seed", o.Seed ?? 0);
    }

    public static LstmForecastingOptions Read(ModelStreamReader r)
    {
        var o = new LstmForecastingOptions
        {
            OutputColumnName = r.ReadString("outputColumn", MaxName, allowEmpty: false),
            InputColumnName = r.ReadString("inputColumn", MaxName, allowEmpty: false),
            WindowSize = r.ReadInt32("windowSize", 2, 1 << 20),
            SeriesLength = r.ReadInt32("seriesLength", 2),
            TrainSize = r.ReadInt32("trainSize", 3),
            Horizon = r.ReadInt32("horizon", 1, 100_000),
            ConfidenceLevel = r.ReadSingle("confidenceLevel"),
            ConfidenceLowerBoundColumn = NullIfEmpty(r.ReadString("lowerBoundColumn", MaxName)),
            ConfidenceUpperBoundColumn = NullIfEmpty(r.ReadString("upperBoundColumn", MaxName)),
            ExogenousColumnNames = new string[r.ReadInt32("exogenousCount", 0, MaxColumns)],
        };
        for (int i = 0; i < o.ExogenousColumnNames.Length; i++) o.ExogenousColumnNames[i] = r.ReadString("exogenousColumn", MaxName, allowEmpty: false);
        o.SeriesKeyColumnName = NullIfEmpty(r.ReadString("seriesKeyColumn", MaxName));
        o.SeasonalPeriod = r.ReadInt32("seasonalPeriod", 0, 1 << 20);
        o.LogTransform = Switch(r, "logTransform");
        o.PowerTransform = Switch(r, "powerTransform");
        o.SeasonalDifferencing = Switch(r, "seasonalDifferencing");
        o.LevelInput = Switch(r, "levelInput");
        o.HiddenSize = r.ReadInt32("hiddenSize", 1, 1 << 16);
        o.NumberOfLayers = r.ReadInt32("numberOfLayers", 1, 64);
        o.NumberOfEpochs = r.ReadInt32("numberOfEpochs", 1);
        o.EarlyStoppingPatience = r.ReadInt32("earlyStoppingPatience", 0);
        o.BatchSize = r.ReadInt32("batchSize", 1);
        o.LearningRate = r.ReadDouble("learningRate");
        o.WeightDecay = r.ReadDouble("weightDecay");
        o.WeightAveraging = r.ReadDouble("weightAveraging");
        o.GradientClipNorm = r.ReadDouble("gradientClipNorm");
        o.ValidationFraction = r.ReadDouble("validationFraction");
        o.Refit = r.ReadBoolean("refit");
        o.CalibrateIntervals = r.ReadBoolean("calibrateIntervals");
        o.CalibrationTails = (CalibrationTails)r.ReadInt32("calibrationTails", 0, Enum.GetValues<CalibrationTails>().Length - 1);
        o.CalibrationFolds = r.ReadInt32("calibrationFolds", 1, 1024);
        o.EnsembleSize = r.ReadInt32("ensembleSize", 1, 1024);
        o.EnsembleIntervals = (EnsembleIntervals)r.ReadInt32("ensembleIntervals", 0, Enum.GetValues<EnsembleIntervals>().Length - 1);
        o.NumberOfThreads = r.ReadInt32("numberOfThreads", -1) is int threads and >= 0 ? threads : null;
        o.Seed = r.ReadInt32("seed");
        try { o.Validate(); }
        catch (ArgumentException e) { throw CorruptModel.Field(r.Component, "options", e.Message, e); }
        return o;
    }

    private static AutoSwitch Switch(ModelStreamReader r, string field) => (AutoSwitch)r.ReadInt32(field, 0, Enum.GetValues<AutoSwitch>().Length - 1);

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
