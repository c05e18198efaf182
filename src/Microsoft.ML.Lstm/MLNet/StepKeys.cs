using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm;

/// <summary>
/// The PredictedLabel key vector of a per-step model from its logits [steps × O]: the best key at each step (tagging), or the
/// CTC decoding — greedy (best path) or prefix beam search of <see cref="LstmOptions.BeamWidth"/> — whose labels 1 … C are
/// the keys themselves (class 0 is the blank).
/// </summary>
internal static class StepKeys
{
    public static uint[] Decode(LstmModelParameters model, ReadOnlySpan<float> logits)
    {
        int O = model.OutputSize, steps = logits.Length / O;
        if (model.Task == LstmTask.Tagging)
        {
            var keys = new uint[steps];
            for (int t = 0; t < steps; t++) keys[t] = (uint)Training.Evaluation.ArgMax(logits.Slice(t * O, O)) + 1;
            return keys;
        }
        int beam = model.TrainedWith.BeamWidth;
        var labels = beam <= 1 ? CtcDecoder.Greedy(logits, steps, O) : CtcDecoder.BeamSearch(logits, steps, O, beam);
        return [.. labels.Select(c => (uint)c)];
    }
}
