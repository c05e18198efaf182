namespace Microsoft.ML.Lstm.WebApi.Tests;

/// <summary>
/// Tiny models trained once for all tests (a few seconds), in a temp folder: two classifiers and two forecasters (seeds 1
/// and 2), so that a swap changes the answers. Tests copy them into their own folders before serving.
/// </summary>
public sealed class TinyModels : IDisposable
{
    public TinyModels()
    {
        Folder = Directory.CreateTempSubdirectory("webapi-tests-").FullName;
        Parallel.Invoke(
            () => ModelTraining.TrainClassifier(ClassifierA, TrainingSize.Tiny, seed: 1),
            () => ModelTraining.TrainClassifier(ClassifierB, TrainingSize.Tiny, seed: 2),
            () => ModelTraining.TrainForecaster(ForecasterA, TrainingSize.Tiny, seed: 1),
            () => ModelTraining.TrainForecaster(ForecasterB, TrainingSize.Tiny, seed: 2));
    }

    public string Folder { get; }
    public string ClassifierA => Path.Combine(Folder, "a", "classifier.zip");
    public string ClassifierB => Path.Combine(Folder, "b", "classifier.zip");
    public string ForecasterA => Path.Combine(Folder, "a", "forecaster.zip");
    public string ForecasterB => Path.Combine(Folder, "b", "forecaster.zip");

    /// <summary>A fresh folder with copies of model A, named model files the service will watch.</summary>
    public (string Classifier, string Forecaster) CopyOfA()
    {
        string dir = Path.Combine(Folder, "serve-" + Guid.NewGuid().ToString("N")); // deleted with the fixture
        Directory.CreateDirectory(Path.Combine(dir, "classifier"));
        Directory.CreateDirectory(Path.Combine(dir, "forecaster"));
        string c = Path.Combine(dir, "classifier", "model.zip"), f = Path.Combine(dir, "forecaster", "model.zip");
        File.Copy(ClassifierA, c);
        File.Copy(ForecasterA, f);
        return (c, f);
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class TinyModelsCollection : ICollectionFixture<TinyModels>
{
    public const string Name = "tiny models";
}
