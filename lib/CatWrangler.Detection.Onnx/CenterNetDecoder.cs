using CatWrangler.Core.Scans;
using CatWrangler.Detection.Onnx.Imaging;

namespace CatWrangler.Detection.Onnx;

/// <summary>
/// CenterNet post-processing on the raw NHWC outputs: the cat score, per-class maxima and cat boxes.
/// </summary>
public static class CenterNetDecoder
{
    public const int GridSize = 128;
    public const int Classes = 80;

    /// <summary>Output stride: heatmap cell (col, row) is centred on input pixel (4·col, 4·row), as in the TF graph's tail.</summary>
    public const int Stride = 4;

    public const int HeatmapLength = GridSize * GridSize * Classes;
    public const int WhLength = GridSize * GridSize * 4;

    /// <summary>
    /// Highest cat score among cells where cat is the strongest class. A cell that is more "dog" than "cat" does not vote
    /// for cat: this keeps cat-coloured dogs and foxes out without hurting real cats (the reference's maxCatTop).
    /// </summary>
    public static float CatScore(ReadOnlySpan<float> heatmap)
    {
        var best = 0f;
        for (var i = 0; i < heatmap.Length; i += Classes)
        {
            var cell = heatmap.Slice(i, Classes);
            var cat = cell[CocoLabels.Cat];
            if (cat <= best)
            {
                continue;
            }

            if (IsTop(cell, CocoLabels.Cat))
            {
                best = cat;
            }
        }

        return best;
    }

    /// <summary>Per-class maximum over the whole heatmap.</summary>
    public static void ClassMaxima(ReadOnlySpan<float> heatmap, Span<float> maxima)
    {
        maxima[..Classes].Clear();
        for (var i = 0; i < heatmap.Length; i += Classes)
        {
            var cell = heatmap.Slice(i, Classes);
            for (var c = 0; c < Classes; c++)
            {
                if (cell[c] > maxima[c])
                {
                    maxima[c] = cell[c];
                }
            }
        }
    }

    /// <summary>The <paramref name="count"/> strongest classes by their heatmap maximum.</summary>
    public static IReadOnlyList<LabelScore> TopLabels(ReadOnlySpan<float> classMaxima, int count)
    {
        var order = Enumerable.Range(0, Classes).ToArray();
        var scores = classMaxima[..Classes].ToArray();
        Array.Sort(scores.Select(s => -s).ToArray(), order);
        return order.Take(count).Select(c => new LabelScore(CocoLabels.Names[c], Math.Round(scores[c], 4))).ToList();
    }

    /// <summary>
    /// Cat detections: 3×3 local maxima of the cat channel at or above <paramref name="minScore"/> where cat is the cell's
    /// top class, each with its l,t,r,b extents, strongest first. <paramref name="grid"/> is the heatmap's side in cells.
    /// </summary>
    public static List<InputBox> CatPeaks(ReadOnlySpan<float> heatmap, ReadOnlySpan<float> wh, float minScore, int maxBoxes, int grid = GridSize)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(heatmap.Length, grid * grid * Classes, nameof(heatmap));
        var boxes = new List<InputBox>();
        for (var row = 0; row < grid; row++)
        {
            for (var col = 0; col < grid; col++)
            {
                var cellIndex = (row * grid) + col;
                var score = heatmap[(cellIndex * Classes) + CocoLabels.Cat];
                if (score < minScore || !IsPeak(heatmap, grid, row, col, score) || !IsTop(heatmap.Slice(cellIndex * Classes, Classes), CocoLabels.Cat))
                {
                    continue;
                }

                var d = wh.Slice(cellIndex * 4, 4);
                float cx = col * Stride, cy = row * Stride;
                boxes.Add(new InputBox(cx - d[0], cy - d[1], cx + d[2], cy + d[3], score));
            }
        }

        boxes.Sort((a, b) => b.Score.CompareTo(a.Score));
        if (boxes.Count > maxBoxes)
        {
            boxes.RemoveRange(maxBoxes, boxes.Count - maxBoxes);
        }

        return boxes;
    }

    /// <summary>Maps a model-input box to pixels of the original (orientation-corrected) image, clipped to it.</summary>
    public static BoundingBox ToImage(InputBox box, LetterboxGeometry geometry, double scaleToOriginalX, double scaleToOriginalY, int originalWidth, int originalHeight)
    {
        var x1 = Math.Clamp(geometry.ToSourceX(box.X1) * scaleToOriginalX, 0, originalWidth);
        var y1 = Math.Clamp(geometry.ToSourceY(box.Y1) * scaleToOriginalY, 0, originalHeight);
        var x2 = Math.Clamp(geometry.ToSourceX(box.X2) * scaleToOriginalX, 0, originalWidth);
        var y2 = Math.Clamp(geometry.ToSourceY(box.Y2) * scaleToOriginalY, 0, originalHeight);
        return new BoundingBox(Math.Round(x1, 1), Math.Round(y1, 1), Math.Round(x2 - x1, 1), Math.Round(y2 - y1, 1), Math.Round(box.Score, 4));
    }

    private static bool IsTop(ReadOnlySpan<float> cell, int cls)
    {
        var v = cell[cls];
        for (var c = 0; c < cell.Length; c++)
        {
            if (cell[c] > v)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPeak(ReadOnlySpan<float> heatmap, int grid, int row, int col, float score)
    {
        for (var r = Math.Max(0, row - 1); r <= Math.Min(grid - 1, row + 1); r++)
        {
            for (var c = Math.Max(0, col - 1); c <= Math.Min(grid - 1, col + 1); c++)
            {
                if (heatmap[(((r * grid) + c) * Classes) + CocoLabels.Cat] > score)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
