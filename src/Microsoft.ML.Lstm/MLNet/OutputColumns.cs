using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm;

/// <summary>
/// The columns an LSTM transformer appends, following ML.NET's scorer conventions so the catalogs'
/// Evaluate methods work unchanged: Score (regression); Score, Probability, PredictedLabel (binary);
/// Score (class probabilities, slot names = label values) and PredictedLabel (key with the label's key
/// values) (multiclass); per-step Score (steps × classes, variable size) and PredictedLabel (key vector) (tagging, CTC).
/// A featurizer appends one column instead: the encoding the head reads, a Single vector of D·H.
/// </summary>
internal sealed class OutputColumns
{
    public const string Score = "Score";
    public const string Probability = "Probability";
    public const string PredictedLabel = "PredictedLabel";

    private readonly LstmModelParameters _model;
    private readonly string? _featuresColumn;

    /// <param name="model">The trained model.</param>
    /// <param name="input">The input schema.</param>
    /// <param name="featuresColumn">Null: the scorer's columns; else the one column a featurizer appends.</param>
    /// <param name="backward">A featurizer's encoder of the reversed sequences, whose encoding follows the model's.</param>
    public OutputColumns(LstmModelParameters model, DataViewSchema input, string? featuresColumn = null,
        LstmModelParameters? backward = null)
    {
        _model = model;
        _featuresColumn = featuresColumn;
        Backward = backward;
        InputSchema = input;
        var b = new DataViewSchema.Builder();
        b.AddColumns(input);
        int K = model.OutputSize;
        switch (featuresColumn is null ? model.Task : (LstmTask?)null)
        {
            case null:
                int width = model.Network.Spec.LayerOutputSize + (backward?.Network.Spec.LayerOutputSize ?? 0);
                b.AddColumn(featuresColumn!, new VectorDataViewType(NumberDataViewType.Single, width));
                break;
            case LstmTask.Regression:
                b.AddColumn(Score, NumberDataViewType.Single);
                break;
            case LstmTask.BinaryClassification:
                b.AddColumn(Score, NumberDataViewType.Single);
                b.AddColumn(Probability, NumberDataViewType.Single);
                b.AddColumn(PredictedLabel, BooleanDataViewType.Instance);
                break;
            case LstmTask.Tagging:
            case LstmTask.Ctc:
                int classes = model.Task == LstmTask.Ctc ? K - 1 : K;
                b.AddColumn(Score, new VectorDataViewType(NumberDataViewType.Single));
                b.AddColumn(PredictedLabel, new VectorDataViewType(new KeyDataViewType(typeof(uint), classes)),
                    model.LabelKeyValues is { } keys ? KeyValueAnnotations.KeyValues(keys) : null);
                break;
            default:
                var names = model.LabelKeyValues;
                b.AddColumn(Score, new VectorDataViewType(NumberDataViewType.Single, K),
                    names is null ? null : KeyValueAnnotations.SlotNames(names));
                b.AddColumn(PredictedLabel, new KeyDataViewType(typeof(uint), K),
                    names is null ? null : KeyValueAnnotations.KeyValues(names));
                break;
        }
        OutputSchema = b.ToSchema();
    }

    /// <summary>A featurizer's encoder of the reversed sequences, or null.</summary>
    public LstmModelParameters? Backward { get; }

    public DataViewSchema InputSchema { get; }
    public DataViewSchema OutputSchema { get; }

    /// <summary>Index of the first appended column in <see cref="OutputSchema"/>.</summary>
    public int FirstOutput => InputSchema.Count;

    /// <summary>True when the output column index is one of ours.</summary>
    public bool IsOutput(int index) => index >= FirstOutput;

    /// <summary>Input columns needed to produce the active output columns.</summary>
    public IEnumerable<DataViewSchema.Column> Dependencies(IEnumerable<DataViewSchema.Column> active)
    {
        var needed = new HashSet<int>();
        foreach (var c in active)
        {
            if (IsOutput(c.Index)) needed.Add(InputSchema[_model.FeatureColumnName].Index);
            else needed.Add(c.Index);
        }
        return needed.Order().Select(i => InputSchema[i]);
    }

    /// <summary>A getter for appended column <paramref name="index"/>, reading from <paramref name="scorer"/>.</summary>
    public Delegate Getter(int index, RowScorer scorer)
    {
        string name = OutputSchema[index].Name;
        if (name == _featuresColumn)
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
            {
                var f = scorer.Features();
                var editor = VBufferEditor.Create(ref v, f.Length);
                f.CopyTo(editor.Values);
                v = editor.Commit();
            });
        switch (_model.Task, name)
        {
            case (LstmTask.Regression, Score):
            case (LstmTask.BinaryClassification, Score):
                return (ValueGetter<float>)((ref float v) => v = scorer.Score()[0]);
            case (LstmTask.BinaryClassification, Probability):
                return (ValueGetter<float>)((ref float v) => v = LstmCell<float>.Sigmoid(scorer.Score()[0]));
            case (LstmTask.BinaryClassification, PredictedLabel):
                return (ValueGetter<bool>)((ref bool v) => v = scorer.Score()[0] > 0);
            case (LstmTask.MulticlassClassification, Score):
                return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
                {
                    var y = scorer.Score();
                    var editor = VBufferEditor.Create(ref v, y.Length);
                    SoftmaxCrossEntropyLoss<float>.Softmax(y, editor.Values);
                    v = editor.Commit();
                });
            case (LstmTask.MulticlassClassification, PredictedLabel):
                return (ValueGetter<uint>)((ref uint v) => v = (uint)Training.Evaluation.ArgMax(scorer.Score()) + 1);
            case (LstmTask.Tagging or LstmTask.Ctc, Score):
                return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
                {
                    var y = scorer.Score();
                    int O = _model.OutputSize;
                    var editor = VBufferEditor.Create(ref v, y.Length);
                    for (int t = 0; t < y.Length / O; t++)
                        SoftmaxCrossEntropyLoss<float>.Softmax(y.Slice(t * O, O), editor.Values.Slice(t * O, O));
                    v = editor.Commit();
                });
            case (LstmTask.Tagging or LstmTask.Ctc, PredictedLabel):
                return (ValueGetter<VBuffer<uint>>)((ref VBuffer<uint> v) =>
                {
                    var keys = StepKeys.Decode(_model, scorer.Score());
                    var editor = VBufferEditor.Create(ref v, keys.Length);
                    keys.CopyTo(editor.Values);
                    v = editor.Commit();
                });
            default:
                throw new InvalidOperationException($"Column '{name}' is not produced by the LSTM transformer.");
        }
    }
}
