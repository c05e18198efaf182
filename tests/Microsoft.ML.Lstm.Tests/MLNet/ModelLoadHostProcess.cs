using System.Diagnostics;
using System.Text;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// Runs tests/Microsoft.ML.Lstm.ModelLoadHost (a stand-in user application) in a fresh process.
/// The host is built with the tests and copied to their output folder; it starts with the test
/// assembly's deps.json, so its assembly resolution is that of an application referencing the
/// test assembly (and through it this library and ML.NET): a model's loader assembly resolves
/// the way it does in a user's application, and nothing is registered by hand.
/// </summary>
internal static class ModelLoadHostProcess
{
    private const string HostAssemblyName = "Microsoft.ML.Lstm.ModelLoadHost";

    /// <summary>Outcome of one run.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
    {
        public override string ToString() =>
            $"exit code {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
    }

    /// <summary>Runs the host with <paramref name="args"/>; kills it after <paramref name="timeout"/>.</summary>
    public static Result Run(TimeSpan timeout, params string[] args)
    {
        string dir = AppContext.BaseDirectory;
        string hostDll = Path.Combine(dir, HostAssemblyName + ".dll");
        string depsFile = Path.Combine(dir, typeof(ModelLoadHostProcess).Assembly.GetName().Name + ".deps.json");
        string runtimeConfig = Path.Combine(dir, HostAssemblyName + ".runtimeconfig.json");
        foreach (var file in new[] { hostDll, depsFile, runtimeConfig })
        {
            if (!File.Exists(file))
                throw new FileNotFoundException($"Cross-process host file missing (is {HostAssemblyName} referenced by the test project?)",
                    file);
        }

        var psi = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        foreach (var a in new[] { "exec", "--depsfile", depsFile, "--runtimeconfig", runtimeConfig, hostDll })
            psi.ArgumentList.Add(a);
        foreach (var a in args)
            psi.ArgumentList.Add(a);

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{HostAssemblyName} did not finish within {timeout.TotalSeconds} s.\n{stdout}\n{stderr}");
        }
        process.WaitForExit(); // flushes the asynchronous output readers
        lock (stdout)
            lock (stderr)
                return new Result(process.ExitCode, stdout.ToString(), stderr.ToString(), watch.Elapsed);
    }

    /// <summary>The dotnet executable running this test process, else the one on PATH.</summary>
    private static string DotnetHost()
    {
        string? fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromCli) && File.Exists(fromCli))
            return fromCli;
        string? self = Environment.ProcessPath;
        if (self != null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            return self;
        return "dotnet";
    }
}
