using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Exponential moving average of a network's weights over gradient steps (Polyak–Ruppert averaging):
/// ā ← d·ā + (1 − d)·θ. On short series every epoch is only a step or two of a small batch, so the raw
/// weights jitter from epoch to epoch; the average is what is evaluated on the holdout and kept.
/// </summary>
internal sealed class WeightAverage
{
    private readonly float _decay;
    private readonly ParameterSet<float> _network, _exogenous;

    /// <summary>Starts the average at the network's current weights.</summary>
    public WeightAverage(ForecastNetwork net, double decay)
    {
        _decay = (float)decay;
        _network = net.Net.Parameters.Clone();
        _exogenous = net.Exogenous.Clone();
    }

    /// <summary>Folds the network's current weights into the average.</summary>
    public void Update(ForecastNetwork net)
    {
        Blend(_network.Values, net.Net.Parameters.Values);
        Blend(_exogenous.Values, net.Exogenous.Values);
    }

    /// <summary>Exchanges the network's weights with the average (call twice to undo).</summary>
    public void Swap(ForecastNetwork net)
    {
        Exchange(_network.Values, net.Net.Parameters.Values);
        Exchange(_exogenous.Values, net.Exogenous.Values);
    }

    private void Blend(float[] average, float[] current)
    {
        for (int i = 0; i < average.Length; i++) average[i] = _decay * average[i] + (1 - _decay) * current[i];
    }

    private static void Exchange(float[] a, float[] b)
    {
        for (int i = 0; i < a.Length; i++) (a[i], b[i]) = (b[i], a[i]);
    }
}
