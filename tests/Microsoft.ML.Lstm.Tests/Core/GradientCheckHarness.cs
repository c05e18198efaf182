using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Kernels;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>
/// A double-precision LSTM problem (network, padded batch, initial states, targets, loss) whose loss can be
/// evaluated at perturbed values, so analytic gradients can be compared with central finite differences.
/// </summary>
internal sealed class GradientCheckHarness
{
    public GradientCheckHarness(LstmNetworkSpec spec, LossKind loss, int[] lengths,
        int steps, ulong seed, bool withInitialState = true, int threads = 1)
    {
        Spec = spec;
        Net = new LstmNetwork<double>(spec, new ComputeContext<double>(threads));
        Net.Initialize(seed);
        var rng = new Rng(seed + 1);
        // Move biases and head away from their initial values so every gradient path is exercised.
        foreach (ref double v in Net.Parameters.Values.AsSpan()) v += 0.1 * (rng.NextDouble() - 0.5);
        int B = lengths.Length, stateLen = spec.NumberOfLayers * spec.Directions * B * spec.HiddenSize;
        if (spec.VocabularySize > 0)
        {
            var tokens = new int[steps * B * spec.TokensPerStep];
            for (int i = 0; i < tokens.Length; i++) tokens[i] = rng.NextInt(spec.VocabularySize);
            Batch = new SequenceBatch<double>(steps, B, spec.TokensPerStep, null, tokens, lengths);
        }
        else
        {
            var x = new double[steps * B * spec.InputSize];
            for (int i = 0; i < x.Length; i++) x[i] = rng.NextGaussian();
            Batch = new SequenceBatch<double>(steps, B, spec.InputSize, x, null, lengths);
        }
        if (withInitialState)
        {
            Batch.InitialHidden = Enumerable.Range(0, stateLen).Select(_ => 0.5 * rng.NextGaussian()).ToArray();
            Batch.InitialCell = Enumerable.Range(0, stateLen).Select(_ => 0.5 * rng.NextGaussian()).ToArray();
        }
        Rows = spec.Head == HeadKind.ManyToOne ? B : steps * B;
        Valid = new bool[Rows];
        for (int r = 0; r < Rows; r++) Valid[r] = spec.Head == HeadKind.ManyToOne || r / B < lengths[r % B];
        int O = spec.OutputSize;
        Targets = loss == LossKind.SoftmaxCrossEntropy
            ? new LossTargets<double>(null, Enumerable.Range(0, Rows).Select(_ => rng.NextInt(O)).ToArray())
            : new LossTargets<double>(Enumerable.Range(0, Rows * O)
                .Select(_ => loss == LossKind.SigmoidBinaryCrossEntropy ? rng.NextInt(2) : rng.NextGaussian()).ToArray());
        Workspace = Net.CreateWorkspace();
        Loss = Losses.Create<double>(loss, huberDelta: loss == LossKind.Huber ? HuberDeltaAwayFromResiduals() : 1.0);
    }

    /// <summary>
    /// A Huber δ in the middle of the widest gap between the sorted |residuals|, so both branches are
    /// exercised and no finite-difference step crosses the kink at |d| = δ.
    /// </summary>
    private double HuberDeltaAwayFromResiduals()
    {
        var y = Net.Forward(Workspace, Batch, training: true, DropoutSeed).ToArray();
        int O = Spec.OutputSize;
        var r = Enumerable.Range(0, Rows * O).Where(k => Valid[k / O]).Select(k => Math.Abs(y[k] - Targets.Values![k])).Order().ToArray();
        int best = 0;
        for (int k = 1; k < r.Length - 1; k++) if (r[k + 1] - r[k] > r[best + 1] - r[best]) best = k;
        return 0.5 * (r[best] + r[best + 1]);
    }

    public LstmNetworkSpec Spec { get; }
    public LstmNetwork<double> Net { get; }
    public SequenceBatch<double> Batch { get; }
    public ILoss<double> Loss { get; private set; }
    public LossTargets<double> Targets { get; }
    public int Rows { get; }
    public bool[] Valid { get; }
    public LstmWorkspace<double> Workspace { get; }
    public ulong DropoutSeed { get; init; } = 77;

    public double Evaluate(out double[] dOut)
    {
        var y = Net.Forward(Workspace, Batch, training: true, DropoutSeed);
        dOut = new double[y.Length];
        return Loss.Compute(y, Rows, Spec.OutputSize, Targets, Valid, dOut);
    }

    public double Evaluate() => Evaluate(out _);

    /// <summary>Analytic gradients: parameters, inputs, h0, c0.</summary>
    public (ParameterSet<double> Params, double[] Inputs, double[] H0, double[] C0) Analytic()
    {
        Evaluate(out var dOut);
        var grads = Net.Parameters.ZerosLike();
        Net.Backward(Workspace, dOut, grads);
        return (grads, Workspace.InputGradient.ToArray(), Workspace.InitialHiddenGradient.ToArray(),
            Workspace.InitialCellGradient.ToArray());
    }

    /// <summary>
    /// Fourth-order central difference of the loss with respect to values[i]:
    /// (−L(+2ε) + 8L(+ε) − 8L(−ε) + L(−2ε)) / 12ε, truncation error O(ε⁴), round-off ~1e-16/ε.
    /// </summary>
    public double Numeric(double[] values, int i, double eps = 1e-3)
    {
        double old = values[i];
        double At(double delta) { values[i] = old + delta; return Evaluate(); }
        double p1 = At(eps), m1 = At(-eps), p2 = At(2 * eps), m2 = At(-2 * eps);
        double d = (8 * (p1 - m1) - (p2 - m2)) / (12 * eps);
        values[i] = old;
        return d;
    }

    /// <summary>
    /// Relative error |a − n| / max(|a|, |n|, floor): relative for gradients of ordinary size; the floor
    /// only keeps exact zeros (padded steps, dropped units) from dividing by zero.
    /// </summary>
    public static double RelativeError(double a, double n, double floor = 1e-8) =>
        Math.Abs(a - n) / Math.Max(Math.Max(Math.Abs(a), Math.Abs(n)), floor);
}
