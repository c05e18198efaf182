using Microsoft.ML.Data;
namespace Microsoft.ML.Lstm.Tests.MLNet.BadInput;

/// <summary>
/// The regression, binary and multiclass <c>Trainers.Lstm</c> models of the bad-input matrix, each trained once (20 rows of
/// <see cref="LstmTestData"/>, one epoch) and shared by every row of <see cref="SequenceTrainerBadInputTests"/>.
/// </summary>
public sealed class SequenceModels
{
    /// <summary>The row the tests spoil.</summary>
    public const int Bad = 4;

    private readonly Lazy<LstmTransformer>[] _models;

    public SequenceModels()
    {
        var rows = LstmTestData.Rows(20, 1);
        var keys = Ml.Transforms.Conversion.MapValueToKey("Label", nameof(SeqRow.Part)).Fit(Ml.Data.LoadFromEnumerable(rows));
        KeyLabels = keys;
        _models = [.. Tasks.Select(t => new Lazy<LstmTransformer>(() => Trainer(t).Fit(Load(t, rows))))];
    }

    public MLContext Ml { get; } = new(seed: 1);

    /// <summary>Part → Label (key) for the multiclass rows.</summary>
    public ITransformer KeyLabels { get; }

    public static readonly LstmTask[] Tasks =
        [LstmTask.Regression, LstmTask.BinaryClassification, LstmTask.MulticlassClassification];

    public LstmTransformer Model(LstmTask task) => _models[Array.IndexOf(Tasks, task)].Value;

    public static string Label(LstmTask task) => task switch
    {
        LstmTask.Regression => nameof(SeqRow.Value),
        LstmTask.BinaryClassification => nameof(SeqRow.Flag),
        _ => "Label",
    };

    /// <summary>The trainer of <paramref name="task"/>: one epoch on the small data.</summary>
    public LstmTrainer Trainer(LstmTask task, int epochs = 1)
    {
        var o = LstmTestData.Options(Label(task), epochs);
        return task switch
        {
            LstmTask.Regression => Ml.Regression.Trainers.Lstm(o),
            LstmTask.BinaryClassification => Ml.BinaryClassification.Trainers.Lstm(o),
            _ => Ml.MulticlassClassification.Trainers.Lstm(o),
        };
    }

    /// <summary>The rows as the task reads them (multiclass: with the key label mapped from Part).</summary>
    public IDataView Load(LstmTask task, IEnumerable<SeqRow> rows)
    {
        var data = Ml.Data.LoadFromEnumerable(rows);
        return task == LstmTask.MulticlassClassification ? KeyLabels.Transform(data) : data;
    }

    /// <summary>Scores every row through Transform (the first float of Score per row, or all of a multiclass Score).</summary>
    public float[][] Scores(LstmTask task, IEnumerable<SeqRow> rows)
    {
        var scored = Model(task).Transform(Load(task, rows));
        return task == LstmTask.MulticlassClassification
            ? scored.GetColumn<float[]>("Score").ToArray()
            : [.. scored.GetColumn<float>("Score").Select(s => new[] { s })];
    }

    /// <summary>Scores one row through a PredictionEngine.</summary>
    public float[] Predict(LstmTask task, SeqRow row) => task switch
    {
        LstmTask.Regression => [Ml.Model.CreatePredictionEngine<SeqRow, ValuePrediction>(Model(task)).Predict(row).Score],
        LstmTask.BinaryClassification => [Ml.Model.CreatePredictionEngine<SeqRow, FlagPrediction>(Model(task)).Predict(row).Score],
        _ => Ml.Model.CreatePredictionEngine<SeqRow, PartPrediction>(Model(task)).Predict(row).Score,
    };
}
