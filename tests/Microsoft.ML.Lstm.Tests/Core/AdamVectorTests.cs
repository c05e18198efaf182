using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>Adam's vectorized loop gives the same bits as a plain scalar recurrence, lanes and tail alike.</summary>
public class AdamVectorTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void VectorizedStepEqualsScalarRecurrenceBitForBit(double weightDecay)
    {
        const int n = 37; // several vectors plus a tail on every vector width
        var set = new ParameterSet<float>([new TensorSlot("w", 0, 1, n)]);
        var grads = set.ZerosLike();
        var rng = new Rng(3);
        for (int i = 0; i < n; i++) set.Values[i] = (float)rng.NextGaussian();
        var p = (float[])set.Values.Clone();
        var m = new float[n];
        var v = new float[n];
        var adam = new Adam<float>(0.9, 0.999, 1e-8, weightDecay);
        double lr = 3e-3;
        for (int step = 1; step <= 5; step++)
        {
            for (int i = 0; i < n; i++) grads.Values[i] = (float)rng.NextGaussian();
            adam.Step(set, grads, lr);
            float b1 = 0.9f, b2 = 0.999f, c1 = (float)(1 - 0.9), c2 = (float)(1 - 0.999);
            float stepSize = (float)(lr / (1 - Math.Pow(0.9, step)));
            float sqrtBc2 = (float)Math.Sqrt(1 - Math.Pow(0.999, step));
            float decay = (float)(1 - lr * weightDecay);
            for (int i = 0; i < n; i++)
            {
                if (weightDecay != 0) p[i] *= decay;
                float g = grads.Values[i];
                m[i] = b1 * m[i] + c1 * g;
                v[i] = b2 * v[i] + c2 * g * g;
                p[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / sqrtBc2 + 1e-8f);
            }
            for (int i = 0; i < n; i++)
                Assert.Equal(BitConverter.SingleToInt32Bits(p[i]), BitConverter.SingleToInt32Bits(set.Values[i]));
        }
    }
}
