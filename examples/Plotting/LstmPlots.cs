using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Lstm;

/// <summary>
/// PNG plots (ScottPlot 5) for the examples and the notebooks: a forecast against its history with the series' own time
/// labels, and a training curve from <see cref="LstmModelParameters.TrainingHistory"/>. ScottPlot stays out of the
/// library package: the example programs compile this file in, and the notebooks <c>#load</c> it (hence no namespace).
/// </summary>
public static class LstmPlots
{
    /// <summary>
    /// The history, the held-out actual values (may be empty), the forecast and its interval; <paramref name="labels"/>
    /// name every time point (history then horizon), and about eight of them label the axis.
    /// </summary>
    public static byte[] Forecast(IReadOnlyList<string> labels, double[] history, double[] actual, double[] forecast,
        float[] lower, float[] upper, string title, string intervalName = "95% interval", int width = 1000, int height = 460)
    {
        var plot = new ScottPlot.Plot();
        int n = history.Length;
        var band = plot.Add.FillY(Steps(n, forecast.Length), lower.Select(v => (double)v).ToArray(),
            upper.Select(v => (double)v).ToArray());
        band.LegendText = intervalName;
        band.FillStyle.Color = ScottPlot.Colors.SteelBlue.WithAlpha(0.25);
        band.LineStyle.Width = 0;
        plot.Add.Scatter(Steps(0, n), history).LegendText = "history";
        if (actual.Length > 0) plot.Add.Scatter(Steps(n, actual.Length), actual).LegendText = "actual";
        plot.Add.Scatter(Steps(n, forecast.Length), forecast).LegendText = "ForecastByLstm";
        int every = Math.Max(1, labels.Count / 8);
        var ticks = Enumerable.Range(0, labels.Count).Where(i => i % every == 0).ToArray();
        plot.Axes.Bottom.SetTicks(ticks.Select(i => (double)i).ToArray(), ticks.Select(i => labels[i]).ToArray());
        plot.Title(title);
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        return plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
    }

    /// <summary>Training and validation loss per epoch, and the validation metric on the right axis when there is one.</summary>
    public static byte[] TrainingCurve(IReadOnlyList<EpochProgress> history, string title, int width = 800, int height = 380)
    {
        var plot = new ScottPlot.Plot();
        double[] epochs = history.Select(h => (double)h.Epoch).ToArray();
        plot.Add.Scatter(epochs, history.Select(h => h.TrainLoss).ToArray()).LegendText = "training loss";
        if (history.Any(h => h.ValidationLoss is not null))
        {
            plot.Add.Scatter(epochs, history.Select(h => h.ValidationLoss ?? double.NaN).ToArray()).LegendText = "validation loss";
            var metric = plot.Add.Scatter(epochs, history.Select(h => h.ValidationMetric ?? double.NaN).ToArray());
            metric.LegendText = $"validation {history[0].MetricName} (right axis)";
            metric.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = history[0].MetricName;
        }
        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Axes.Left.Label.Text = "loss";
        plot.Title(title);
        plot.ShowLegend(ScottPlot.Alignment.MiddleRight);
        return plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
    }

    /// <summary>An HTML image of <paramref name="png"/>, for a notebook's <c>display(HTML(...))</c>.</summary>
    public static string Html(byte[] png) => $"<img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"/>";

    private static double[] Steps(int start, int count) => Enumerable.Range(start, count).Select(i => (double)i).ToArray();
}
