using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Kernels;

namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// One member of the forecasting ensemble: an LSTM whose many-to-many head gives, at every step t, the
/// H × Q quantiles of r_{t,h} (column h·Q + q, see <see cref="SeriesTransform"/>), plus a linear effect of
/// the known future covariates: value[t, h, q] = head[t, h·Q + q] + Σ_e β_e·z_{t,h,e}. The covariate
/// term sits outside the recurrence, so the carried state depends on the past only and future covariates
/// enter at forecast time.
/// </summary>
internal sealed class ForecastNetwork
{
    public ForecastNetwork(LstmNetworkSpec spec, int horizon, int quantiles, int exogenous, int threads)
    {
        if (spec.OutputSize != horizon * quantiles)
            throw new ArgumentException($"The head has {spec.OutputSize} outputs; horizon × quantiles = {horizon * quantiles}.",
                nameof(spec));
        Net = new LstmNetwork<float>(spec, new ComputeContext<float>(threads));
        Horizon = horizon;
        Quantiles = quantiles;
        Exogenous = new ParameterSet<float>([new TensorSlot("exogenous.beta", 0, 1, exogenous)]);
    }

    public LstmNetwork<float> Net { get; }

    /// <summary>β, one coefficient per covariate (shared by all horizons and quantiles).</summary>
    public ParameterSet<float> Exogenous { get; }

    public int Horizon { get; }

    public int Quantiles { get; }

    public int ExogenousCount => Exogenous.Count;

    /// <summary>The network of a forecaster: input from the transform, output H × Q.</summary>
    public static LstmNetworkSpec SpecFor(ForecasterSettings options, SeriesTransform transform, int quantiles) => new()
    {
        InputSize = transform.InputSize,
        HiddenSize = options.Model.HiddenSize,
        NumberOfLayers = options.Model.NumberOfLayers,
        Head = HeadKind.ManyToMany,
        OutputSize = options.Horizon * quantiles,
    };

    /// <summary>
    /// Seeded initialization (<see cref="LstmNetwork{T}.Initialize"/>) of a model that starts as a classical
    /// forecaster: head weights 0; β by least squares of the training targets on their regressors (a
    /// regression on differences, as in ARIMAX); head bias at the per-horizon empirical quantiles of the
    /// remaining residuals. The untrained model thus forecasts the baseline (seasonal naive with drift)
    /// plus the covariate effect, with intervals calibrated in-sample instead of zero-width ones.
    /// </summary>
    /// <param name="seed">Seed of the LSTM weights.</param>
    /// <param name="datasets">The training data (one dataset per series; residuals pooled over them).</param>
    /// <param name="blocks">Per dataset, the held-out target times (not used).</param>
    /// <param name="levels">Quantile levels, ascending.</param>
    public void Initialize(ulong seed, IReadOnlyList<ForecastDataset> datasets,
        IReadOnlyList<TargetBlock> blocks, IReadOnlyList<double> levels)
    {
        Net.Initialize(seed);
        Net.Parameters["head.W"].Clear();
        var beta = Exogenous.Values;
        LeastSquares(datasets, blocks).CopyTo(beta, 0);
        int H = Horizon, Q = Quantiles, E = ExogenousCount;
        var bias = Net.Parameters["head.b"];
        bias.Clear();
        var residuals = new List<float>();
        for (int h = 1; h <= H; h++)
        {
            residuals.Clear();
            for (int d = 0; d < datasets.Count; d++)
            {
                var data = datasets[d];
                for (int i = 0; i < data.Rows && data.TargetTime(i, h) < data.Length; i++)
                {
                    if (blocks[d].Contains(data.TargetTime(i, h))) continue;
                    float r = data.Targets[i * H + h - 1];
                    for (int e = 0; e < E; e++) r -= beta[e] * data.Regressors[(i * H + h - 1) * E + e];
                    residuals.Add(r);
                }
            }
            if (residuals.Count == 0) continue;
            residuals.Sort();
            for (int q = 0; q < Q; q++) bias[(h - 1) * Q + q] = residuals[(int)Math.Round(levels[q] * (residuals.Count - 1))];
        }
    }

    /// <summary>β minimizing Σ (r − β·z)² over the known targets outside each dataset's held-out block (slightly ridged).</summary>
    private float[] LeastSquares(IReadOnlyList<ForecastDataset> datasets, IReadOnlyList<TargetBlock> blocks)
    {
        int H = Horizon, E = ExogenousCount;
        if (E == 0) return [];
        var zz = Matrix<double>.Build.Dense(E, E);
        var zr = Vector<double>.Build.Dense(E);
        for (int d = 0; d < datasets.Count; d++)
        {
            var data = datasets[d];
            for (int i = 0; i < data.Rows; i++)
                for (int h = 1; h <= H && data.TargetTime(i, h) < data.Length; h++)
                {
                    if (blocks[d].Contains(data.TargetTime(i, h))) continue;
                    int k = i * H + h - 1;
                    for (int a = 0; a < E; a++)
                    {
                        double za = data.Regressors[k * E + a];
                        zr[a] += za * data.Targets[k];
                        for (int b = 0; b < E; b++) zz[a, b] += za * data.Regressors[k * E + b];
                    }
                }
        }
        double ridge = 1e-6 * (zz.Diagonal().Sum() / E) + 1e-9;
        for (int a = 0; a < E; a++) zz[a, a] += ridge;
        return zz.Solve(zr).Select(v => (float)v).ToArray();
    }

    /// <summary>Adds the covariate term to <paramref name="rows"/> output rows; regressors are [rows × H × E].</summary>
    public void AddExogenous(Span<float> output, int rows, ReadOnlySpan<float> regressors)
    {
        int E = ExogenousCount, H = Horizon, Q = Quantiles;
        if (E == 0) return;
        var beta = Exogenous.Values;
        for (int r = 0; r < rows; r++)
            for (int h = 0; h < H; h++)
            {
                float effect = 0;
                var z = regressors.Slice((r * H + h) * E, E);
                for (int e = 0; e < E; e++) effect += beta[e] * z[e];
                var row = output.Slice((r * H + h) * Q, Q);
                for (int q = 0; q < Q; q++) row[q] += effect;
            }
    }

    /// <summary>Writes dL/dβ given dL/d(output) of <paramref name="rows"/> rows.</summary>
    public void ExogenousGradient(ReadOnlySpan<float> dOutput, int rows, ReadOnlySpan<float> regressors, ParameterSet<float> gradient)
    {
        int E = ExogenousCount, H = Horizon, Q = Quantiles;
        var g = gradient.Values;
        Array.Clear(g);
        for (int r = 0; r < rows; r++)
            for (int h = 0; h < H; h++)
            {
                float d = 0;
                foreach (float v in dOutput.Slice((r * H + h) * Q, Q)) d += v;
                if (d == 0) continue;
                var z = regressors.Slice((r * H + h) * E, E);
                for (int e = 0; e < E; e++) g[e] += d * z[e];
            }
    }

    /// <summary>
    /// Runs the network over <paramref name="steps"/> inputs [steps × F] of one series
    /// from the zero state; returns the output rows including the covariate term.
    /// </summary>
    public float[] RunSeries(LstmWorkspace<float> ws, float[] inputs, int steps, ReadOnlySpan<float> regressors)
    {
        var batch = new SequenceBatch<float>(steps, 1, Net.Spec.InputSize, inputs);
        var y = Net.Forward(ws, batch).ToArray();
        AddExogenous(y, steps, regressors);
        return y;
    }
}
