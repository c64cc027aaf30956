using System.Globalization;
using System.Text;

namespace CatWrangler.Cli.Scanning;

/// <summary>Held-out result of one fold: the bands fitted without it, and how they did on it.</summary>
internal sealed record CascadeFold(int Fold, CascadeBands Bands, int Count, int CascadeErrors, int FullErrors, int Escalated);
