using System.Globalization;
using Microsoft.ML.Transforms.Text;

namespace Microsoft.ML.Lstm.WebApi;

/// <summary>How much to train: the example's models, or tiny ones for tests (seconds).</summary>
public enum TrainingSize
{
    /// <summary>All rows, enough epochs to be useful (the <c>train</c> command).</summary>
    Full,

    /// <summary>A few hundred rows, a couple of epochs, small networks: for tests only.</summary>
    Tiny,
}

/// <summary>
/// Trains and saves the two models the service loads: names → gender (an LSTM over the name's letters as key tokens) and
/// AirPassengers (ForecastByLstm). The service itself never trains; <c>dotnet run --project examples/WebApi -- train
/// &lt;folder&gt;</c> calls this.
/// </summary>
public static class ModelTraining
{
    /// <summary>The data files shipped next to the program (examples/data, copied to the output folder).</summary>
    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    /// <summary>
    /// Names → gender as a sequence classifier over key tokens: lower-cased letters, mapped to keys of the letters seen in
    /// training (any other letter becomes the missing key 0, which the service rejects), an LSTM
    /// (<c>MulticlassClassification.Trainers.Lstm</c>), and the predicted key mapped back to "F" or "M".
    /// Saved with the input schema of <see cref="NameInput"/> to <paramref name="modelPath"/>.
    /// </summary>
    public static void TrainClassifier(string modelPath, TrainingSize size = TrainingSize.Full, int seed = 1)
    {
        var ml = new MLContext(seed: seed);
        var rows = File.ReadLines(DataFile("stdlib_names_gender.csv")).Skip(1).Select(l => l.Split(','))
            .Select(c => new NameRow { Gender = c[0], Name = c[1] }).ToList();
        if (size == TrainingSize.Tiny) rows = rows.Where((_, i) => i % 15 == 0).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var labels = ml.Transforms.Conversion.MapValueToKey("Label", nameof(NameRow.Gender)).Fit(data);
        var pipeline = ml.Transforms.Text.NormalizeText("Lower", nameof(NameRow.Name), TextNormalizingEstimator.CaseMode.Lower,
                keepDiacritics: true)
            .Append(ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Chars", "Lower", useMarkerCharacters: false))
            .Append(ml.Transforms.Conversion.MapKeyToValue("CharText", "Chars"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Letters", "CharText"))
            .Append(ml.MulticlassClassification.Trainers.Lstm(size == TrainingSize.Full
                ? new LstmOptions
                {
                    FeatureColumnName = "Letters", EmbeddingSize = 16, HiddenSize = 32, Bidirectional = true,
                    Pooling = LstmPooling.Max, NumberOfEpochs = 15, LearningRate = 3e-3, Seed = seed,
                }
                : new LstmOptions
                {
                    FeatureColumnName = "Letters", EmbeddingSize = 8, HiddenSize = 8, NumberOfEpochs = 2, Seed = seed,
                }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedGender", "PredictedLabel"));
        var model = pipeline.Fit(labels.Transform(data));
        var inputSchema = ml.Data.LoadFromEnumerable(Array.Empty<NameInput>()).Schema;
        Save(ml, model, inputSchema, modelPath);
    }

    /// <summary>
    /// ForecastByLstm on the monthly AirPassengers series (all 144 months), 12 months ahead with a 95% interval, saved to
    /// <paramref name="modelPath"/>. The service forecasts from the observations each request carries.
    /// </summary>
    public static void TrainForecaster(string modelPath, TrainingSize size = TrainingSize.Full, int seed = 1)
    {
        var ml = new MLContext(seed: seed);
        var rows = File.ReadLines(DataFile("r_airpassengers.csv")).Skip(1)
            .Select(l => new Observation { Value = float.Parse(l.Split(',')[1], CultureInfo.InvariantCulture) }).ToList();
        bool full = size == TrainingSize.Full;
        var options = new LstmForecastingOptions
        {
            OutputColumnName = "Forecast", InputColumnName = nameof(Observation.Value), TrainSize = rows.Count, Horizon = 12,
            ConfidenceLevel = 0.95f, ConfidenceLowerBoundColumn = "Lower", ConfidenceUpperBoundColumn = "Upper",
            SeasonalPeriod = 12, Seed = seed, WindowSize = full ? 36 : 24, SeriesLength = full ? 72 : 36,
            EnsembleSize = full ? 8 : 1, HiddenSize = full ? 16 : 4,
            NumberOfEpochs = full ? 100 : 3,
        };
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Forecasting.ForecastByLstm(options).Fit(data);
        Save(ml, model, data.Schema, modelPath);
    }

    /// <summary>The series the forecaster was trained on (for the load generator and tests: real request bodies).</summary>
    public static float[] AirPassengers() => File.ReadLines(DataFile("r_airpassengers.csv")).Skip(1)
        .Select(l => float.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Writes the model next to its destination and moves it in place, so a watching service never reads half a file.</summary>
    private static void Save(MLContext ml, ITransformer model, DataViewSchema schema, string modelPath)
    {
        string full = Path.GetFullPath(modelPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + ".tmp";
        ml.Model.Save(model, schema, temp);
        File.Move(temp, full, overwrite: true);
    }
}
