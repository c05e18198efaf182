namespace Microsoft.ML.Lstm.Examples;

/// <summary>History, actual hold-out, forecast and its interval band as a PNG (ScottPlot, headless).</summary>
public static class ForecastPlot
{
    /// <summary>Writes the plot to <paramref name="path"/>.</summary>
    public static void Save(string path, double[] history, double[] actual, double[] forecast, float[] lower, float[] upper, string title)
    {
        var plot = new ScottPlot.Plot();
        int n = history.Length;
        double[] xs(int start, int count) => Enumerable.Range(start, count).Select(i => (double)i).ToArray();
        var band = plot.Add.FillY(xs(n, forecast.Length), lower.Select(v => (double)v).ToArray(), upper.Select(v => (double)v).ToArray());
        band.LegendText = "95% interval";
        band.FillStyle.Color = ScottPlot.Colors.SteelBlue.WithAlpha(0.25);
        band.LineStyle.Width = 0;
        plot.Add.Scatter(xs(0, n), history).LegendText = "history";
        plot.Add.Scatter(xs(n, actual.Length), actual).LegendText = "actual";
        plot.Add.Scatter(xs(n, forecast.Length), forecast).LegendText = "ForecastByLstm";
        plot.Title(title);
        plot.ShowLegend();
        plot.SavePng(path, 1000, 500);
    }
}
