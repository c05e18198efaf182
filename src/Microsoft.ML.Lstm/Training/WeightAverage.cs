namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// Exponential moving average of the weights of some parameter groups over gradient steps (Polyak–Ruppert
/// averaging): ā ← d·ā + (1 − d)·θ. When every epoch is only a step or two of a small batch (a short
/// series), the raw weights jitter from epoch to epoch; the average is what is validated and kept. With a warm-up, step t
/// uses the decay min(d, (1 + t) / (10 + t)) (as TensorFlow's ExponentialMovingAverage with num_updates), so a short run is
/// not dragged back towards its untrained start.
/// </summary>
internal sealed class WeightAverage
{
    private readonly float _decay;
    private readonly bool _warmUp;
    private readonly float[][] _average, _current;
    private long _steps;

    /// <summary>Starts the average at the groups' current weights.</summary>
    public WeightAverage(IReadOnlyList<ParameterGroup> groups, double decay, bool warmUp = false)
    {
        _decay = (float)decay;
        _warmUp = warmUp;
        _current = groups.Select(g => g.Parameters.Values).ToArray();
        _average = _current.Select(v => (float[])v.Clone()).ToArray();
    }

    /// <summary>Folds the current weights into the average.</summary>
    public void Update()
    {
        _steps++;
        float decay = _warmUp ? Math.Min(_decay, (float)((1.0 + _steps) / (10.0 + _steps))) : _decay;
        for (int g = 0; g < _average.Length; g++)
        {
            float[] average = _average[g], current = _current[g];
            for (int i = 0; i < average.Length; i++) average[i] = decay * average[i] + (1 - decay) * current[i];
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
