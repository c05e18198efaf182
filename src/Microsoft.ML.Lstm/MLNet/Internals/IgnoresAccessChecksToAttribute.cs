using System.Runtime.CompilerServices;

// Lets this assembly use ML.NET internals at run time: the CLR skips its visibility checks from
// here into the named assemblies. The compiler sees the internals through the publicized
// compile-time references made by build/MLNetPublicizer.targets; Roslyn ignores this attribute.
[assembly: IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: IgnoresAccessChecksTo("Microsoft.ML.Data")]

namespace System.Runtime.CompilerServices;

/// <summary>
/// Tells the CLR to skip access checks from the declaring assembly into the named one. The runtime
/// recognises the attribute by its full name; the BCL does not ship it, so it is declared here.
/// The test assembly sees it through InternalsVisibleTo and uses this declaration too.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute : Attribute
{
    /// <summary>Creates the attribute for the assembly with this simple name.</summary>
    public IgnoresAccessChecksToAttribute(string assemblyName) => AssemblyName = assemblyName;

    /// <summary>Simple name of the assembly whose internals this assembly may use.</summary>
    public string AssemblyName { get; }
}
