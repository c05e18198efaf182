using Microsoft.Extensions.ObjectPool;
using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm.WebApi;

/// <summary>
/// A loaded names → gender model and its pool of PredictionEngines. ML.NET's PredictionEngine is not thread-safe, so each
/// request takes one from the pool and returns it; the pool belongs to this model, so after a swap the old model's engines
/// finish their requests and are collected with it.
/// </summary>
public sealed class ClassifierModel
{
    private readonly ObjectPool<PredictionEngine<NameInput, NamePrediction>> _engines;

    private ClassifierModel(MLContext ml, ITransformer model, string[] classes)
    {
        Classes = classes;
        var provider = new DefaultObjectPoolProvider { MaximumRetained = Math.Max(4, 2 * Environment.ProcessorCount) };
        _engines = provider.Create(new EnginePolicy(ml, model));
    }

    /// <summary>The class names in the order of <see cref="NamePrediction.Score"/>.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Loads a model zip saved by <see cref="ModelTraining.TrainClassifier"/> and checks its columns.</summary>
    /// <exception cref="InvalidDataException">The model lacks a column the service reads.</exception>
    public static ClassifierModel Load(byte[] file)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(new MemoryStream(file), out _);
        var input = ml.Data.LoadFromEnumerable(Array.Empty<NameInput>()).Schema;
        var output = model.GetOutputSchema(input);
        foreach (var column in new[] { "PredictedGender", "Score", "Letters" })
            if (output.GetColumnOrNull(column) is null)
                throw new InvalidDataException($"The model has no '{column}' column: it is not a names → gender classifier.");
        var score = output["Score"];
        int count = ((VectorDataViewType)score.Type).Size;
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        string[] classes = score.Annotations.Schema.GetColumnOrNull("SlotNames") is not null
            ? GetSlotNames(score, ref names)
            : [.. Enumerable.Range(0, count).Select(i => $"class {i}")];
        // One prediction proves the engine can be built and run before the model serves a request.
        var engine = ml.Model.CreatePredictionEngine<NameInput, NamePrediction>(model);
        engine.Predict(new NameInput { Name = "a" });
        return new ClassifierModel(ml, model, classes);
    }

    /// <summary>Scores one name with an engine from the pool.</summary>
    public NamePrediction Predict(string name)
    {
        var engine = _engines.Get();
        try { return engine.Predict(new NameInput { Name = name }); }
        finally { _engines.Return(engine); }
    }

    private static string[] GetSlotNames(DataViewSchema.Column score, ref VBuffer<ReadOnlyMemory<char>> names)
    {
        score.GetSlotNames(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }

    private sealed class EnginePolicy(MLContext ml, ITransformer model) : PooledObjectPolicy<PredictionEngine<NameInput, NamePrediction>>
    {
        public override PredictionEngine<NameInput, NamePrediction> Create() =>
            ml.Model.CreatePredictionEngine<NameInput, NamePrediction>(model);

        public override bool Return(PredictionEngine<NameInput, NamePrediction> obj) => true;
    }
}
