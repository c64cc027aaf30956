using CatWrangler.Core.Images;
using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Detection;

public sealed record DetectorDescriptor(string Id, string ModelVersion, double Threshold);
