using System.ComponentModel;
using System.Diagnostics;

namespace CatWrangler.ModelSupply;

/// <summary>Fetches a package tarball. npm decides where from (its own configuration); we never name a registry.</summary>
public interface INpmPackRunner
{
    /// <summary>Runs <c>npm pack SPEC</c> in <paramref name="destination"/> and returns the path of the .tgz it wrote.</summary>
    Task<string> PackAsync(string packageSpec, string destination, CancellationToken cancellationToken);
}
