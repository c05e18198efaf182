using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm;

/// <summary>
/// A classifier needs rows of at least two classes: one trained on a single class answers that class whatever the input, which
/// looks like a model but has learned nothing. Checked after the rows are read, for the binary, multiclass and tagging tasks
/// (a CTC model tells its one class from the blank, a regression has no classes).
/// </summary>
internal static class LabelVariety
{
    /// <exception cref="ArgumentException">Every training row (every step, for a tagger) has the same class; the message names
    /// the label column, the class and what to do.</exception>
    public static void Require(SequenceDataset data, LstmTask task, string label)
    {
        switch (task)
        {
            case LstmTask.BinaryClassification:
                float first = data[0].Target![0];
                if (Enumerable.Range(0, data.Count).All(i => data[i].Target![0] == first))
                    throw new ArgumentException(
                        $"Label column '{label}' is {first == 1} in all {data.Count} training rows: a binary classifier needs rows " +
                        "of both classes.", "input");
                return;
            case LstmTask.MulticlassClassification or LstmTask.Tagging:
                int only = data[0].Classes![0];
                if (Enumerable.Range(0, data.Count).All(i => data[i].Classes!.AsSpan().IndexOfAnyExcept(only) < 0))
                    throw new ArgumentException(
                        $"Label column '{label}' holds key {only + 1} in all {data.Count} training rows" +
                        $"{(task == LstmTask.Tagging ? " (every step)" : "")}: a classifier needs rows of at least two classes. " +
                        "Check the label mapping and any filter before Fit.", "input");
                return;
        }
    }
}
