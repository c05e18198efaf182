namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// A training history in a model stream: the epoch count, then per epoch its number, the planned count, training loss,
/// validation loss and metric (each: bool present, double), metric name, learning rate, seconds and sequences per second.
/// </summary>
internal static class HistoryFormat
{
    /// <summary>Most epochs a history may hold (far above any NumberOfEpochs trained for here).</summary>
    private const int MaxHistory = 1 << 20;

    /// <summary>Fewest bytes an epoch takes: two int32, a double, two booleans, an empty name and three doubles.</summary>
    private const int MinEpochBytes = 4 + 4 + 8 + 1 + 1 + 4 + 3 * 8;

    /// <summary>Writes <paramref name="history"/>.</summary>
    public static void Write(ModelStreamWriter w, IReadOnlyList<EpochProgress> history)
    {
        w.WriteInt32("epochCount", history.Count);
        foreach (var e in history)
        {
            w.WriteInt32("epoch", e.Epoch);
            w.WriteInt32("numberOfEpochs", e.NumberOfEpochs);
            w.WriteDouble("trainLoss", e.TrainLoss, requireFinite: false);
            w.WriteBoolean("hasValidation", e.ValidationLoss is not null);
            if (e.ValidationLoss is { } loss) w.WriteDouble("validationLoss", loss, requireFinite: false);
            w.WriteBoolean("hasMetric", e.ValidationMetric is not null);
            if (e.ValidationMetric is { } metric) w.WriteDouble("validationMetric", metric, requireFinite: false);
            w.WriteString("metricName", e.MetricName);
            w.WriteDouble("learningRate", e.LearningRate);
            w.WriteDouble("seconds", e.Seconds);
            w.WriteDouble("sequencesPerSecond", e.SequencesPerSecond);
        }
    }

    /// <summary>Reads a history <see cref="Write"/> wrote, the epoch count checked against its bound and the bytes present.</summary>
    public static EpochProgress[] Read(ModelStreamReader r)
    {
        var history = new EpochProgress[r.ReadCount("epochCount", 0, MaxHistory, MinEpochBytes)];
        for (int i = 0; i < history.Length; i++)
        {
            int epoch = r.ReadInt32("epoch", 1, MaxHistory);
            int planned = r.ReadInt32("numberOfEpochs", epoch, MaxHistory);
            double trainLoss = r.ReadDouble("trainLoss", requireFinite: false);
            double? validationLoss = r.ReadBoolean("hasValidation") ? r.ReadDouble("validationLoss", requireFinite: false) : null;
            double? metric = r.ReadBoolean("hasMetric") ? r.ReadDouble("validationMetric", requireFinite: false) : null;
            history[i] = new EpochProgress(epoch, planned, trainLoss, validationLoss, metric, r.ReadString("metricName", 64),
                r.ReadDouble("learningRate"), r.ReadDouble("seconds"), r.ReadDouble("sequencesPerSecond"));
        }
        return history;
    }
}
