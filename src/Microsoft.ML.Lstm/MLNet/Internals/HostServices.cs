using Microsoft.ML.Runtime;

namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// What a trainer needs from its ML.NET environment beyond the public surface: the MLContext's seed,
/// a log channel feeding <c>MLContext.Log</c>, and the cancellation flag set by
/// <c>MLContext.CancelExecution()</c>.
/// </summary>
internal static class HostServices
{
    /// <summary>The seed the MLContext was created with, or null when it has none.</summary>
    public static int? Seed(IHostEnvironment env) => env is IHostEnvironmentInternal e ? e.Seed : null;

    /// <summary>Writes an informational line to <c>MLContext.Log</c> under <paramref name="source"/>.</summary>
    public static void Info(IHostEnvironment env, string source, string message)
    {
        using var ch = env.Start(source);
        ch.Info(message);
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> once <c>MLContext.CancelExecution()</c> was called.</summary>
    public static void CheckAlive(IHostEnvironment env) => env.CheckAlive();

    /// <summary>True once <c>MLContext.CancelExecution()</c> was called.</summary>
    public static bool IsCanceled(IHostEnvironment env) => env is ICancelable c && c.IsCanceled;
}
