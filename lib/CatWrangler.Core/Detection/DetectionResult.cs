using CatWrangler.Core.Images;
using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Detection;

/// <summary>The public verdict and the power-user diagnostics that produced it.</summary>
public sealed record DetectionResult(Verdict Verdict, DetectionDiagnostics Diagnostics);
