using Mono.Cecil;

namespace MLNetPublicizer;

/// <summary>
/// Writes a copy of an ML.NET assembly in which every type and member of the <c>Microsoft.ML</c>
/// namespaces is public. The copies are compile-time references only: at run time the real package
/// assemblies load, and <c>[assembly: IgnoresAccessChecksTo(...)]</c> lets the CLR skip the access
/// checks. Assembly identity (name, version, public key) is left unchanged.
/// </summary>
/// <remarks>
/// Usage: <c>MLNetPublicizer &lt;input.dll&gt; &lt;output.dll&gt; [&lt;input.dll&gt; &lt;output.dll&gt; ...]</c>.
/// Left as they are: types outside <c>Microsoft.ML*</c> namespaces (polyfills such as
/// <c>System.Runtime.CompilerServices.IsExternalInit</c> would otherwise clash with the BCL),
/// compiler-generated types and members (names starting with '&lt;'), explicit interface
/// implementations, and fields named like an event of their type (the event's backing field).
/// </remarks>
public static class Program
{
    private const string NamespacePrefix = "Microsoft.ML";

    /// <summary>Entry point; returns 0 on success, 1 on failure, 2 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args.Length % 2 != 0)
        {
            Console.Error.WriteLine("usage: MLNetPublicizer <input.dll> <output.dll> [<input.dll> <output.dll> ...]");
            return 2;
        }

        try
        {
            for (int i = 0; i < args.Length; i += 2)
            {
                var (types, members) = Publicize(Path.GetFullPath(args[i]), Path.GetFullPath(args[i + 1]));
                Console.WriteLine(
                    $"MLNetPublicizer: {Path.GetFileName(args[i])}: {types} types and {members} members made public -> {args[i + 1]}");
            }
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
            // "error :" makes MSBuild's Exec task report it as a build error.
            Console.Error.WriteLine($"MLNetPublicizer: error : {ex.Message}");
            return 1;
        }
    }

    /// <summary>Publicizes one assembly; returns how many types and members changed.</summary>
    public static (int Types, int Members) Publicize(string input, string output)
    {
        using var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(input)!);
        var readerParameters = new ReaderParameters
        {
            AssemblyResolver = resolver,
            InMemory = true,      // no lock left on the package file
            ReadSymbols = false,
        };

        int types = 0, members = 0;
        using (var assembly = AssemblyDefinition.ReadAssembly(input, readerParameters))
        {
            foreach (var module in assembly.Modules)
            {
                foreach (var type in module.GetTypes())
                {
                    if (!ShouldPublicize(type))
                        continue;
                    if (MakePublic(type))
                        types++;
                    members += MakeMembersPublic(type);
                }
            }

            // Write beside the target and rename: readers never see a half-written file, and two
            // builds racing on the same output both end with a complete one.
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            string temp = $"{output}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            try
            {
                assembly.Write(temp, new WriterParameters { DeterministicMvid = true });
                File.Move(temp, output, overwrite: true);
            }
            finally
            {
                if (File.Exists(temp))
                    File.Delete(temp);
            }
        }
        return (types, members);
    }

    private static bool ShouldPublicize(TypeDefinition type)
    {
        for (var t = type; t != null; t = t.DeclaringType)
        {
            if (t.Name.StartsWith('<'))
                return false;
            if (t.DeclaringType == null)
                return t.Namespace == NamespacePrefix || t.Namespace.StartsWith(NamespacePrefix + ".", StringComparison.Ordinal);
        }
        return false;
    }

    private static bool MakePublic(TypeDefinition type)
    {
        if (type.IsNested)
        {
            if (type.IsNestedPublic)
                return false;
            type.IsNestedPublic = true;
        }
        else
        {
            if (type.IsPublic)
                return false;
            type.IsPublic = true;
        }
        return true;
    }

    private static int MakeMembersPublic(TypeDefinition type)
    {
        int changed = 0;
        foreach (var method in type.Methods)
        {
            if (method.IsPublic || method.Name.StartsWith('<'))
                continue;
            // Explicit interface implementations stay private: as public methods they would add
            // unspeakable names and change how the compiler maps interface members.
            if (method.HasOverrides && method.IsPrivate)
                continue;
            method.IsPublic = true;
            changed++;
        }

        foreach (var field in type.Fields)
        {
            if (field.IsPublic || field.Name.StartsWith('<'))
                continue;
            // A field-like event's backing field has the event's name: publishing both makes every
            // use of the event ambiguous.
            if (type.HasEvents && type.Events.Any(e => e.Name == field.Name))
                continue;
            field.IsPublic = true;
            changed++;
        }
        return changed;
    }
}
