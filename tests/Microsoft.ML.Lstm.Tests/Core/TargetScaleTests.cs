using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm.Tests.Core;

public class TargetScaleTests
{
    private static SequenceDataset Data(params float[] targets) =>
        new(1, targets.Select(t => new SequenceSample { Features = [1f, 2f], Target = [t] }));

    [Fact]
    public void StandardizedTargetsHaveMeanZeroAndVarianceOne_AndTheFoldedHeadGivesBackTheirUnits()
    {
        var data = Data(299f, 300f, 301f, 302f);
        var scale = TargetScale.Of(data);
        Assert.Equal(300.5, scale.Mean, 9);
        Assert.Equal(Math.Sqrt(1.25), scale.StandardDeviation, 9);
        scale.Standardize(data);
        var z = Enumerable.Range(0, 4).Select(i => (double)data[i].Target![0]).ToArray();
        Assert.Equal(0, z.Average(), 6);
        Assert.Equal(1, z.Select(v => v * v).Average(), 5);

        var net = new LstmNetwork<float>(new LstmNetworkSpec { InputSize = 1, HiddenSize = 3 });
        net.Initialize(1);
        var ws = net.CreateWorkspace();
        var batch = new SequenceBatch<float>(2, 1, 1, [0.5f, -1f]);
        float before = net.Forward(ws, batch)[0];
        scale.FoldIntoHead(net);
        Assert.Equal(before * scale.StandardDeviation + scale.Mean, net.Forward(ws, batch)[0], 3);
    }

    [Fact]
    public void EqualTargetsKeepAUnitScale()
    {
        var scale = TargetScale.Of(Data(7f, 7f, 7f));
        Assert.Equal(7, scale.Mean, 9);
        Assert.Equal(1, scale.StandardDeviation);
    }
}
