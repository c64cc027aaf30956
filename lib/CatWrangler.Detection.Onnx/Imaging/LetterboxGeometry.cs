namespace CatWrangler.Detection.Onnx.Imaging;

/// <summary>
/// Where the image sits inside the square model input: scaled to <see cref="ScaledWidth"/>×<see cref="ScaledHeight"/>
/// and offset by (<see cref="OffsetX"/>, <see cref="OffsetY"/>). Maps model-input pixels back to source pixels.
/// </summary>
public readonly record struct LetterboxGeometry(int Size, int SourceWidth, int SourceHeight, int ScaledWidth, int ScaledHeight, int OffsetX, int OffsetY)
{
    /// <summary>
    /// Same arithmetic as the reference (refdet geomPrep): JS Math.round is round-half-up. <paramref name="inner"/> is the
    /// long side the image is scaled to (the canvas size for the reference view, smaller for a zoomed-out view).
    /// </summary>
    public static LetterboxGeometry For(int sourceWidth, int sourceHeight, int size, int? inner = null)
    {
        var fit = inner ?? size;
        var scale = Math.Min((double)fit / sourceWidth, (double)fit / sourceHeight);
        var w = Math.Max(1, (int)Math.Floor((sourceWidth * scale) + 0.5));
        var h = Math.Max(1, (int)Math.Floor((sourceHeight * scale) + 0.5));
        return new LetterboxGeometry(size, sourceWidth, sourceHeight, w, h, (size - w) / 2, (size - h) / 2);
    }

    public double ToSourceX(double inputX) => (inputX - OffsetX) * SourceWidth / ScaledWidth;

    public double ToSourceY(double inputY) => (inputY - OffsetY) * SourceHeight / ScaledHeight;
}
