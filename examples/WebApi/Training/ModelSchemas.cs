using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm.WebApi;

/// <summary>One training row of examples/data/stdlib_names_gender.csv.</summary>
public sealed class NameRow
{
    /// <summary>The first name.</summary>
    public string Name { get; set; } = "";

    /// <summary>"F" or "M".</summary>
    public string Gender { get; set; } = "";
}

/// <summary>What the classifier reads at prediction time: the name alone.</summary>
public sealed class NameInput
{
    /// <summary>The first name.</summary>
    public string Name { get; set; } = "";
}

/// <summary>What the classifier's PredictionEngine writes.</summary>
public sealed class NamePrediction
{
    /// <summary>The predicted class ("F" or "M"), mapped back from the key.</summary>
    [ColumnName("PredictedGender")]
    public string Gender { get; set; } = "";

    /// <summary>Probability of each class, in the label's key order.</summary>
    public float[] Score { get; set; } = [];

    /// <summary>The name's letters as keys of the training vocabulary; 0 marks a letter never seen in training.</summary>
    public uint[] Letters { get; set; } = [];
}

/// <summary>One observation of the series the forecaster reads.</summary>
public sealed class Observation
{
    /// <summary>The value.</summary>
    public float Value { get; set; }
}

/// <summary>The forecaster's output columns.</summary>
public sealed class SeriesForecast
{
    /// <summary>Point forecasts, one per step ahead.</summary>
    public float[] Forecast { get; set; } = [];

    /// <summary>Lower bounds.</summary>
    public float[] Lower { get; set; } = [];

    /// <summary>Upper bounds.</summary>
    public float[] Upper { get; set; } = [];
}
