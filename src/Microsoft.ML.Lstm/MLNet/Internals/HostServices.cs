using Microsoft.ML.Runtime;

namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// What a trainer needs from its ML.NET environment beyond the public surface: the seed, a log channel
/// feeding <c>MLContext.Log</c>, and cancellation by <c>MLContext.CancelExecution()</c>. Every estimator
/// of this library goes through here, so they resolve seeds and observe cancellation alike.
/// </summary>
internal static class HostServices
{
    /// <summary>
    /// The seed of a training run: the estimator's <c>Seed</c> option when set; else the seed the
    /// MLContext was created with; else, as for ML.NET's own trainers on an MLContext without a seed, a
    /// fresh random seed, so that each run differs.
    /// </summary>
    public static ulong Seed(int? optionSeed, IHostEnvironment env) =>
        (uint)(optionSeed ?? (env as IHostEnvironmentInternal)?.Seed ?? Random.Shared.Next());

    /// <summary>Writes an informational line to <c>MLContext.Log</c> under <paramref name="source"/>.</summary>
    public static void Info(IHostEnvironment env, string source, string message)
    {
        using var ch = env.Start(source);
        ch.Info(message);
    }

    /// <summary>A token canceled by <c>MLContext.CancelExecution()</c> on <paramref name="env"/>; dispose it when training ends.</summary>
    public static HostCancellation Cancellation(IHostEnvironment env) => new(env);
}
