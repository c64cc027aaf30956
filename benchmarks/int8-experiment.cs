#:project ../lib/CatWrangler.ModelSupply/CatWrangler.ModelSupply.csproj
#:property TreatWarningsAsErrors=false
#:property JsonSerializerIsReflectionEnabledByDefault=true
using System.Diagnostics;
using System.Text.Json;
using CatWrangler.Core.Images;
using CatWrangler.Detection.Onnx;
using CatWrangler.ModelSupply.Conversion;
using CatWrangler.Detection.Onnx.Imaging;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

// Int8 QDQ experiment: calibrate (cached in a JSON file), quantise with a layer selection, CPU time per run (1 thread) and
// cat-score parity against the float model.
// usage: dotnet run -c Release benchmarks/int8-experiment.cs -- <float.onnx> <eval dir> <ranges.json> <out.onnx> <all|pointwise|none> [calibration images]
var floatPath = args[0];
var evalDir = args[1];
var rangesPath = args[2];
var outPath = args[3];
var selection = args[4];
var calibCount = args.Length > 5 ? int.Parse(args[5]) : 10;
var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(floatPath));
var convs = model.Graph.Node.Where(n => n.OpType == "Conv").ToList();
bool Pointwise(NodeProto n) => n.Attribute.First(a => a.Name == "kernel_shape").Ints.All(k => k == 1) && !n.Attribute.Any(a => a.Name == "group" && a.I > 1);
var keep = selection switch
{
    "all" => [],
    "pointwise" => convs.Where(n => !Pointwise(n) || n.Name.Contains("cls_output")).Select(n => n.Name).ToHashSet(),
    "none" => convs.Select(n => n.Name).ToHashSet(),
    _ => throw new ArgumentException(selection),
};
var options = new QdqOptions { KeepFloat = keep, ReduceRangeWeights = true };
var files = File.ReadLines(Path.Combine(evalDir, "labels.csv")).Skip(1).Select(l => l.Split(',')).Select(p => (File: Path.Combine(evalDir, p[0]), Label: p[1])).ToList();
var decoder = new ImageDecoder(new ImageLimits());
float[] Input(string file, int size)
{
    using var img = decoder.Decode(File.ReadAllBytes(file), 512);
    var data = new float[size * size * 3];
    Letterbox.Fill(img.Rgb, img.Width, img.Height, size, data);
    return data;
}

if (!File.Exists(rangesPath))
{
    var all = QdqQuantizer.CalibrationTensors(model, new QdqOptions());
    using var cal = new ActivationCalibrator(model, all);
    var step = Math.Max(1, files.Count / calibCount);
    for (var i = 0; i < files.Count; i += step)
    {
        foreach (var size in new[] { 384, 512 })
        {
            cal.Observe(Input(files[i].File, size), [1, size, size, 3]);
        }
    }
    File.WriteAllText(rangesPath, JsonSerializer.Serialize(cal.Ranges()));
}
var ranges = JsonSerializer.Deserialize<Dictionary<string, ActivationRange>>(File.ReadAllText(rangesPath))!;
var q = QdqQuantizer.Quantize(model, ranges, options);
File.WriteAllBytes(outPath, q.ToByteArray());
Console.WriteLine($"{selection}: {convs.Count - keep.Count}/{convs.Count} convs quantised, {q.Graph.Node.Count(n => n.OpType == "QuantizeLinear")} Q nodes");

InferenceSession Session(string path)
{
    using var so = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL, EnableMemoryPattern = false };
    return new InferenceSession(path, so);
}
using var fs = Session(floatPath);
using var qs = Session(outPath);
using var ro = new RunOptions();
float Score(InferenceSession s, float[] data, int size)
{
    using var t = OrtValue.CreateTensorValueFromMemory(data, [1, size, size, 3]);
    using var r = s.Run(ro, ["images"], [t], ["heatmap"]);
    return CenterNetDecoder.CatScore(r[0].GetTensorDataAsSpan<float>());
}
var self = Process.GetCurrentProcess();
foreach (var size in new[] { 384, 512 })
{
    var data = Input(files[0].File, size);
    foreach (var (name, s) in new[] { ("float", fs), ("int8", qs) })
    {
        for (var i = 0; i < 3; i++) Score(s, data, size);
        var times = new List<double>();
        for (var i = 0; i < 15; i++) { self.Refresh(); var c = self.TotalProcessorTime; Score(s, data, size); self.Refresh(); times.Add((self.TotalProcessorTime - c).TotalMilliseconds); }
        times.Sort();
        Console.WriteLine($"{size} px {name}: CPU per run median {times[7]:0.0} ms, min {times[0]:0.0} ms");
    }
}
var diffs = new List<(double d, string f, float a, float b)>();
foreach (var (file, label) in files.Where((_, i) => i % 3 == 1))
{
    var data = Input(file, 384);
    var a = Score(fs, data, 384); var b = Score(qs, data, 384);
    diffs.Add((Math.Abs(a - b), Path.GetFileName(file), a, b));
}
diffs.Sort();
Console.WriteLine($"384 px cat-score |float-int8| over {diffs.Count}: median {diffs[diffs.Count / 2].d:0.0000}, p95 {diffs[diffs.Count * 95 / 100].d:0.0000}, max {diffs[^1].d:0.0000} ({diffs[^1].f}: {diffs[^1].a:0.000} vs {diffs[^1].b:0.000}), over 0.02: {diffs.Count(x => x.d > 0.02)}");
