using System.Globalization;
using System.Text;

namespace CatWrangler.Cli.Scanning;

/// <summary>One labelled eval image and the detector's cat score for it (null when it could not be classified).</summary>
internal sealed record EvalItem(string File, string Label, double? Score, string? TopLabel);
