using CatWrangler.Core.Scans;
using CatWrangler.Detection.Onnx.Imaging;

namespace CatWrangler.Detection.Onnx;

/// <summary>A cat peak in model-input pixels (the square fed to the model), before mapping to the source image.</summary>
public readonly record struct InputBox(float X1, float Y1, float X2, float Y2, float Score);
