using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// Connectionist temporal classification (Graves, Fernández, Gomez &amp; Schmidhuber 2006) for one sequence: the
/// negative log-probability of a label sequence l (length U, classes 1 … C − 1) under per-step class distributions
/// softmax(u_t) (T steps, C classes, class <see cref="Blank"/> = 0 the blank, as in PyTorch and Keras), summed over every
/// alignment π of length T that collapses to l (repeats merged, then blanks removed).
/// <para>Forward and backward variables over the extended label l′ = (blank, l₁, blank, …, l_U, blank), S = 2U + 1, in
/// log space: α_t(s) is the probability of the prefixes of length t + 1 that end in l′_s (emission at t included),
/// β_t(s) that of completing from l′_s at t (emission at t excluded), so p(l) = Σ_s α_t(s)·β_t(s) at every t. A step
/// may stay on s, advance to s + 1, or skip a blank to s + 2 when l′_{s+2} ≠ l′_s. The gradient with respect to the
/// logits is ∂L/∂u_{t,k} = softmax(u_t)_k − Σ_{s: l′_s = k} α_t(s)·β_t(s) / p(l).</para>
/// When no alignment fits (T shorter than U plus the repeats inside l) the loss is +∞ and the gradient 0.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal static class CtcLoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The blank class.</summary>
    public const int Blank = 0;

    /// <summary>The fewest steps an alignment of <paramref name="labels"/> needs: U plus one blank between each repeat.</summary>
    public static int MinimumSteps(ReadOnlySpan<int> labels)
    {
        int steps = labels.Length;
        for (int i = 1; i < labels.Length; i++) if (labels[i] == labels[i - 1]) steps++;
        return steps;
    }

    /// <summary>
    /// −log p(<paramref name="labels"/> | <paramref name="logits"/>) for logits [steps × classes], and dL/d(logits) into
    /// <paramref name="dLogits"/> (same shape).
    /// </summary>
    /// <exception cref="ArgumentException">A label outside 1 … classes − 1, or shapes that do not fit.</exception>
    public static double Compute(ReadOnlySpan<T> logits, int steps, int classes, ReadOnlySpan<int> labels, Span<T> dLogits)
    {
        if (steps < 1 || classes < 2 || logits.Length != steps * classes || dLogits.Length != logits.Length)
            throw new ArgumentException(
                $"Logits must be [steps × classes] with steps ≥ 1 and classes ≥ 2; got {logits.Length} values.", nameof(logits));
        foreach (int c in labels)
            if (c <= Blank || c >= classes)
                throw new ArgumentException($"Label {c} is outside 1 … {classes - 1} (class {Blank} is the blank).", nameof(labels));
        int S = 2 * labels.Length + 1;
        var logp = new double[steps * classes];
        var tmp = new T[classes];
        for (int t = 0; t < steps; t++)
        {
            SoftmaxCrossEntropyLoss<T>.LogSoftmax(logits.Slice(t * classes, classes), tmp);
            for (int k = 0; k < classes; k++) logp[t * classes + k] = double.CreateChecked(tmp[k]);
        }
        if (MinimumSteps(labels) > steps)
        {
            dLogits.Clear();
            return double.PositiveInfinity;
        }
        var l = labels.ToArray();
        int Extended(int s) => s % 2 == 0 ? Blank : l[s / 2];
        bool CanSkip(int s) => s >= 2 && Extended(s) != Blank && Extended(s) != Extended(s - 2);

        var alpha = new double[steps * S];
        var beta = new double[steps * S];
        Array.Fill(alpha, double.NegativeInfinity);
        Array.Fill(beta, double.NegativeInfinity);
        alpha[0] = logp[Blank];
        if (S > 1) alpha[1] = logp[Extended(1)];
        for (int t = 1; t < steps; t++)
            for (int s = 0; s < S; s++)
            {
                double a = alpha[(t - 1) * S + s];
                if (s >= 1) a = LogSpace.Add(a, alpha[(t - 1) * S + s - 1]);
                if (CanSkip(s)) a = LogSpace.Add(a, alpha[(t - 1) * S + s - 2]);
                alpha[t * S + s] = a + logp[t * classes + Extended(s)];
            }
        beta[(steps - 1) * S + S - 1] = 0;
        if (S > 1) beta[(steps - 1) * S + S - 2] = 0;
        for (int t = steps - 2; t >= 0; t--)
            for (int s = 0; s < S; s++)
            {
                double b = beta[(t + 1) * S + s] + logp[(t + 1) * classes + Extended(s)];
                if (s + 1 < S) b = LogSpace.Add(b, beta[(t + 1) * S + s + 1] + logp[(t + 1) * classes + Extended(s + 1)]);
                if (s + 2 < S && CanSkip(s + 2)) b = LogSpace.Add(b, beta[(t + 1) * S + s + 2] + logp[(t + 1) * classes + Extended(s + 2)]);
                beta[t * S + s] = b;
            }
        double logP = alpha[(steps - 1) * S + S - 1];
        if (S > 1) logP = LogSpace.Add(logP, alpha[(steps - 1) * S + S - 2]);

        var occupancy = new double[classes];
        for (int t = 0; t < steps; t++)
        {
            Array.Fill(occupancy, double.NegativeInfinity);
            for (int s = 0; s < S; s++)
                occupancy[Extended(s)] = LogSpace.Add(occupancy[Extended(s)], alpha[t * S + s] + beta[t * S + s]);
            for (int k = 0; k < classes; k++)
                dLogits[t * classes + k] = T.CreateChecked(Math.Exp(logp[t * classes + k]) - Math.Exp(occupancy[k] - logP));
        }
        return -logP;
    }
}
