namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// Exponential moving average of the weights of some parameter groups over gradient steps (Polyak–Ruppert
/// averaging): ā ← d·ā + (1 − d)·θ. When every epoch is only a step or two of a small batch (a short
/// series), the raw weights jitter from epoch to epoch; the average is what is validated and kept.
/// </summary>
internal sealed class WeightAverage
{
    private readonly float _decay;
    private readonly float[][] _average, _current;

    /// <summary>Starts the average at the groups' current weights.</summary>
    public WeightAverage(IReadOnlyList<ParameterGroup> groups, double decay)
    {
        _decay = (float)decay;
        _current = groups.Select(g => g.Parameters.Values).ToArray();
        _average = _current.Select(v => (float[])v.Clone()).ToArray();
    }

    /// <summary>Folds the current weights into the average.</summary>
    public void Update()
    {
        for (int g = 0; g < _average.Length; g++)
        {
            float[] average = _average[g], current = _current[g];
            for (int i = 0; i < average.Length; i++) average[i] = _decay * average[i] + (1 - _decay) * current[i];
        }
    }

    /// <summary>Exchanges the current weights with the average (call twice to undo).</summary>
    public void Swap()
    {
        for (int g = 0; g < _average.Length; g++)
        {
            float[] a = _average[g], b = _current[g];
            for (int i = 0; i < a.Length; i++) (a[i], b[i]) = (b[i], a[i]);
        }
    }
}
