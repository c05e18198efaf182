using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// The settings block of an LSTM trainer's model (<see cref="LstmOptions"/> without the progress callback), so
/// that a loaded model reports what it was trained with. Every value read back is range-checked by
/// <see cref="LstmOptions.Validate"/>; a failure names the block as corrupt.
/// </summary>
internal static class LstmOptionsFormat
{
    public static void Write(ModelStreamWriter w, LstmOptions o)
    {
        w.WriteString("labelColumn", o.LabelColumnName);
        w.WriteString("featureColumn", o.FeatureColumnName);
        w.WriteInt32("featuresPerStep", o.FeaturesPerStep);
        w.WriteInt32("hiddenSize", o.HiddenSize);
        w.WriteInt32("numberOfLayers", o.NumberOfLayers);
        w.WriteBoolean("bidirectional", o.Bidirectional);
        w.WriteDouble("dropout", o.Dropout);
        w.WriteDouble("recurrentDropout", o.RecurrentDropout);
        w.WriteInt32("embeddingSize", o.EmbeddingSize);
        w.WriteInt32("numberOfEpochs", o.NumberOfEpochs);
        w.WriteInt32("batchSize", o.BatchSize);
        w.WriteDouble("learningRate", o.LearningRate);
        w.WriteInt32("optimizer", (int)o.Optimizer);
        w.WriteDouble("weightDecay", o.WeightDecay);
        w.WriteDouble("momentum", o.Momentum);
        w.WriteInt32("learningRateSchedule", (int)o.LearningRateSchedule);
        w.WriteDouble("learningRateDecayFactor", o.LearningRateDecayFactor);
        w.WriteInt32("learningRateDecayEpochs", o.LearningRateDecayEpochs);
        w.WriteDouble("gradientClipNorm", o.GradientClipNorm);
        w.WriteDouble("validationFraction", o.ValidationFraction);
        w.WriteInt32("earlyStoppingPatience", o.EarlyStoppingPatience);
        w.WriteInt32("seed", o.Seed ?? 0);
        w.WriteInt32("numberOfThreads", o.NumberOfThreads ?? -1); // -1: null
    }

    public static LstmOptions Read(ModelStreamReader r)
    {
        var o = new LstmOptions
        {
            LabelColumnName = r.ReadString("labelColumn", 4096, allowEmpty: false),
            FeatureColumnName = r.ReadString("featureColumn", 4096, allowEmpty: false),
            FeaturesPerStep = r.ReadInt32("featuresPerStep", 1, LstmNetworkSpec.MaxWidth),
            HiddenSize = r.ReadInt32("hiddenSize", 1, LstmNetworkSpec.MaxWidth),
            NumberOfLayers = r.ReadInt32("numberOfLayers", 1, LstmNetworkSpec.MaxLayers),
            Bidirectional = r.ReadBoolean("bidirectional"),
            Dropout = r.ReadDouble("dropout"),
            RecurrentDropout = r.ReadDouble("recurrentDropout"),
            EmbeddingSize = r.ReadInt32("embeddingSize", 1, LstmNetworkSpec.MaxWidth),
            NumberOfEpochs = r.ReadInt32("numberOfEpochs", 1),
            BatchSize = r.ReadInt32("batchSize", 1),
            LearningRate = r.ReadDouble("learningRate"),
            Optimizer = (LstmOptimizer)r.ReadInt32("optimizer", 0, (int)LstmOptimizer.RmsProp),
            WeightDecay = r.ReadDouble("weightDecay"),
            Momentum = r.ReadDouble("momentum"),
            LearningRateSchedule = (LstmLearningRateSchedule)r.ReadInt32("learningRateSchedule", 0, (int)LstmLearningRateSchedule.ReduceOnPlateau),
            LearningRateDecayFactor = r.ReadDouble("learningRateDecayFactor"),
            LearningRateDecayEpochs = r.ReadInt32("learningRateDecayEpochs", 1),
            GradientClipNorm = r.ReadDouble("gradientClipNorm"),
            ValidationFraction = r.ReadDouble("validationFraction"),
            EarlyStoppingPatience = r.ReadInt32("earlyStoppingPatience", 0),
            Seed = r.ReadInt32("seed"),
            NumberOfThreads = r.ReadInt32("numberOfThreads", -1) is int threads and >= 0 ? threads : null,
        };
        try { o.Validate(); }
        catch (ArgumentException e) { throw CorruptModel.Field(r.Component, "options", e.Message, e); }
        return o;
    }
}
