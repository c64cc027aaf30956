using System.Buffers.Binary;

namespace CatWrangler.Core.Images;

/// <summary>One colour component of a JPEG frame with its sampling factors.</summary>
public readonly record struct JpegComponent(int HorizontalSampling, int VerticalSampling);
