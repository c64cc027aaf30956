using System.Globalization;
using System.Text;

namespace CatWrangler.Cli.Scanning;

/// <summary>First-look bands: below <see cref="Low"/> no cat, above <see cref="High"/> cat, in between the full path decides.</summary>
internal sealed record CascadeBands(double Low, double High)
{
    public bool Decide(CascadeSample s, double threshold) => s.FirstLook < Low ? false : s.FirstLook > High || s.Full >= threshold;

    public bool Escalates(CascadeSample s) => s.FirstLook >= Low && s.FirstLook <= High;
}
