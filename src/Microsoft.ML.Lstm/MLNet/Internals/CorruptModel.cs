using Microsoft.ML.Runtime;

namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// Builds the exception thrown when a saved model's bytes are invalid: an
/// <see cref="InvalidDataException"/> naming the component and the field.
/// </summary>
/// <remarks>
/// The exception is marked the way ML.NET marks its own, so that a failure inside a loader reaches
/// the caller of <c>MLContext.Model.Load</c> like ML.NET's own corrupt-model errors: as an
/// <see cref="InvalidOperationException"/> ("Error during class instantiation") whose inner
/// exception is this one.
/// </remarks>
internal static class CorruptModel
{
    /// <summary>An exception for a bad value of <paramref name="field"/> in <paramref name="component"/>.</summary>
    public static InvalidDataException Field(string component, string field, string problem, Exception? inner = null)
    {
        var ex = new InvalidDataException($"Corrupt model: component '{component}', field '{field}': {problem}", inner);
        return Contracts.Mark(ex);
    }

    /// <summary>An exception for a bad <paramref name="field"/> of a forecasting engine state (see <c>SaveState</c>).</summary>
    public static InvalidDataException EngineState(string field, string problem, Exception? inner = null) =>
        Contracts.Mark(new InvalidDataException($"Corrupt engine state: field '{field}': {problem}", inner));
}
