namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>A benchmark series and R's figures for it (forecast 8.20; shared/notes/anchors.md).</summary>
/// <param name="Name">Short name.</param>
/// <param name="File">CSV in examples/data (header, then label,value rows).</param>
/// <param name="SeasonalNaive">R's seasonal naive (RMSE, MASE); RMSE NaN where the anchors give none.</param>
/// <param name="Ets">R's ETS (RMSE, MASE).</param>
/// <param name="AutoArima">R's auto.arima (RMSE, MASE).</param>
internal sealed record BenchmarkSeries(string Name, string File, (double Rmse, double Mase) SeasonalNaive,
    (double Rmse, double Mase) Ets, (double Rmse, double Mase) AutoArima)
{
    /// <summary>Horizon and seasonal period of every benchmark.</summary>
    public const int Horizon = 24, Period = 12;

    /// <summary>The three series of issue 5, with the anchors' numbers.</summary>
    public static readonly BenchmarkSeries[] All =
    [
        new("AirPassengers", "r_airpassengers.csv", (77.0, 2.49), (72.5, 2.21), (74.3, 2.40)),
        new("co2", "r_co2_maunaloa_monthly.csv", (double.NaN, 1.86), (double.NaN, 0.211), (double.NaN, 0.219)),
        new("sunspots", "r_sunspot_month.csv", (double.NaN, 1.15), (double.NaN, 0.461), (double.NaN, 0.942)),
    ];

    /// <summary>The values of the series (second CSV column), or of another column.</summary>
    public double[] Load(int column = 1)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", File);
        return System.IO.File.ReadLines(path).Skip(1).Where(l => l.Length > 0)
            .Select(l => double.Parse(l.Split(',')[column], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }
}
