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
                if (Enumerable.Range(0, data.Count).All(i => data[i].Target![0] == first)) throw OneClass(label, first == 1, data.Count);
                return;
            case LstmTask.MulticlassClassification or LstmTask.Tagging:
                int only = data[0].Classes![0];
                if (Enumerable.Range(0, data.Count).All(i => data[i].Classes!.AsSpan().IndexOfAnyExcept(only) < 0))
                    throw OneKey(label, only, data.Count, task == LstmTask.Tagging);
                return;
        }
    }

    /// <summary>The error of a binary label column whose <paramref name="rows"/> training rows are all <paramref name="value"/>.</summary>
    public static ArgumentException OneClass(string label, bool value, long rows) => new(
        $"Label column '{label}' is {value} in all {rows} training rows: a binary classifier needs rows of both classes.", "input");

    /// <summary>
    /// The error of a key label column whose <paramref name="rows"/> training rows all hold class <paramref name="only"/>.
    /// </summary>
    public static ArgumentException OneKey(string label, int only, long rows, bool tagging) => new(
        $"Label column '{label}' holds key {only + 1} in all {rows} training rows{(tagging ? " (every step)" : "")}: a classifier " +
        "needs rows of at least two classes. Check the label mapping and any filter before Fit.", "input");
}
