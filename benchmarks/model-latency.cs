#:package Microsoft.ML.OnnxRuntime
using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

// Model-only latency of the converted detector (no decode, no letterbox): 1 and 2 intra-op threads, batch 1 and 2.
// usage: dotnet run benchmarks/model-latency.cs -- artifacts/models/centernet-mnv3-human-3.3.6.onnx [iterations]
var path = args[0];
var n = args.Length > 1 ? int.Parse(args[1]) : 100;
var rnd = new Random(1);
var data = Enumerable.Range(0, 512 * 512 * 3).Select(_ => (float)rnd.Next(256)).ToArray();
foreach (var threads in new[] { 1, 2 })
{
    foreach (var batch in new[] { 1, 2 })
    {
        using var so = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        using var s = new InferenceSession(path, so);
        var input = batch == 1 ? data : [.. data, .. data];
        var t = new DenseTensor<float>(input, [batch, 512, 512, 3]);
        var inputs = new[] { NamedOnnxValue.CreateFromTensor("images", t) };
        for (var i = 0; i < 5; i++) { using var _ = s.Run(inputs); }
        var times = new List<double>();
        for (var i = 0; i < n; i++)
        {
            var sw = Stopwatch.StartNew();
            using var r = s.Run(inputs);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"intra-op threads {threads}, batch {batch}: median {times[n / 2]:F1} ms, p90 {times[n * 9 / 10]:F1} ms, min {times[0]:F1} ms ({n} runs)");
    }
}
