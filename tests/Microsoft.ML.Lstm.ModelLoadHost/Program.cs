using Microsoft.ML;
using Microsoft.ML.Data;

// A user's application in miniature: load a saved model, score a data set, save the scores.
// Usage: Microsoft.ML.Lstm.ModelLoadHost <model.zip> <input.idv> <output.idv>
// Prints "transformer: <type>" (and "chain element: <type>" for each element of a chain), then
// "rows: <n>". Exit codes: 0 success, 2 bad arguments, 3 failure (exception on stderr).
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Microsoft.ML.Lstm.ModelLoadHost <model.zip> <input.idv> <output.idv>");
    return 2;
}

try
{
    var mlContext = new MLContext(seed: 1);
    ITransformer model = mlContext.Model.Load(args[0], out _);
    Console.WriteLine($"transformer: {model.GetType().FullName}");
    if (model is IEnumerable<ITransformer> chain)
    {
        foreach (var element in chain)
            Console.WriteLine($"chain element: {element.GetType().FullName}");
    }

    IDataView input = mlContext.Data.LoadFromBinary(args[1]);
    IDataView scored = model.Transform(input);
    using (var output = File.Create(args[2]))
        mlContext.Data.SaveAsBinary(scored, output, keepHidden: false);

    long rows = 0;
    using (var cursor = scored.GetRowCursor([]))
    {
        while (cursor.MoveNext())
            rows++;
    }
    Console.WriteLine($"rows: {rows}");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine(ex);
    return 3;
}
