using System.Globalization;

namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>A series of the 43-series development panel (panel/README.md) with R's mean-of-3-origins MASE per method.</summary>
/// <param name="Name">Series name.</param>
/// <param name="Group">monthly, quarterly, yearly, weekly, daily or other.</param>
/// <param name="M">Seasonal period of the protocol (1 = none).</param>
/// <param name="H">Horizon.</param>
/// <param name="Values">The series.</param>
/// <param name="RMase">R forecast 8.20's mean MASE over the origins n−H, n−2H, n−3H: snaive, ets, arima, theta, comb.</param>
internal sealed record PanelSeries(string Name, string Group, int M, int H, double[] Values, IReadOnlyDictionary<string, double> RMase)
{
    /// <summary>R's methods in table order.</summary>
    public static readonly string[] Methods = ["snaive", "ets", "arima", "theta", "comb"];

    /// <summary>
    /// The panel from <paramref name="folder"/> beside the executable, in panel.tsv order: <c>panel</c>, or <c>panel-short</c>
    /// (its monthly and quarterly series cut to their last 72 and 40 values, R's anchors recomputed), or <c>panel-holdout</c>
    /// (26 series the panel left out, never tuned on).
    /// </summary>
    public static IReadOnlyList<PanelSeries> Load(string folder = "panel")
    {
        string dir = Path.Combine(AppContext.BaseDirectory, folder);
        var anchors = File.ReadLines(Path.Combine(dir, "anchors.tsv")).Skip(1).Select(l => l.Split('\t'))
            .Where(c => c[5] == "mean_3_origins")
            .ToLookup(c => c[0], c => (Method: c[6], Mase: Number(c[7])));
        return File.ReadLines(Path.Combine(dir, "panel.tsv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t'))
            .Select(c => new PanelSeries(c[0], c[6], Integer(c[3]), Integer(c[4]),
                File.ReadLines(Path.Combine(dir, c[1])).Skip(1).Where(r => r.Length > 0).Select(r => Number(r.Split(',')[1])).ToArray(),
                anchors[c[0]].ToDictionary(a => a.Method, a => a.Mase)))
            .ToArray();
    }

    /// <summary>The protocol's origins, latest first: n − H, n − 2H, n − 3H.</summary>
    public int[] Origins => [Values.Length - H, Values.Length - 2 * H, Values.Length - 3 * H];

    private static int Integer(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    private static double Number(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
