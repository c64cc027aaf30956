using System.Globalization;
using System.Text;

namespace CatWrangler.Cli.Scanning;

/// <summary>One labelled image's first-look score and its full-resolution score (reference view, extra views when inconclusive).</summary>
internal sealed record CascadeSample(string File, bool IsCat, double FirstLook, double Full);
