#:package Microsoft.ML.OnnxRuntime
using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

// Model-only cost of the converted detector as the cascade uses it (a 384 px run, then a 512 px run, alternating), one
// intra-op thread, batch 1: one session with symbolic height/width (as converted) versus one session per input side with
// its free dimensions fixed (AddFreeDimensionOverrideByName), with and without memory patterns. Reports CPU time per run
// (survives a shared machine) and wall time.
// usage: dotnet run -c Release benchmarks/session-shapes.cs -- artifacts/models/centernet-mnv3-human-3.3.6.onnx [pairs]
var path = args[0];
var n = args.Length > 1 ? int.Parse(args[1]) : 30;
var rnd = new Random(1);
int[] sizes = [384, 512];
var data = sizes.ToDictionary(s => s, s => Enumerable.Range(0, s * s * 3).Select(_ => (float)rnd.Next(256)).ToArray());
var self = Process.GetCurrentProcess();
foreach (var mode in new[] { "one symbolic session", "session per side, fixed dims", "session per side, fixed dims + memory pattern" })
{
    var sessions = new Dictionary<int, InferenceSession>();
    InferenceSession? shared = null;
    foreach (var s in sizes)
    {
        using var so = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL, EnableMemoryPattern = mode.EndsWith("pattern") };
        if (mode != "one symbolic session")
        {
            so.AddFreeDimensionOverrideByName("N", 1);
            so.AddFreeDimensionOverrideByName("images_height", s);
            so.AddFreeDimensionOverrideByName("images_width", s);
            sessions[s] = new InferenceSession(path, so);
        }
        else
        {
            sessions[s] = shared ??= new InferenceSession(path, so);
        }
    }

    using var ro = new RunOptions();
    var cpu = sizes.ToDictionary(s => s, _ => new List<double>());
    var wall = sizes.ToDictionary(s => s, _ => new List<double>());
    for (var i = 0; i < n + 3; i++)
    {
        foreach (var s in sizes)
        {
            using var t = OrtValue.CreateTensorValueFromMemory(data[s], [1, s, s, 3]);
            self.Refresh();
            var c = self.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            using var r = sessions[s].Run(ro, ["images"], [t], ["heatmap", "wh"]);
            var w = sw.Elapsed.TotalMilliseconds;
            self.Refresh();
            if (i >= 3)
            {
                cpu[s].Add((self.TotalProcessorTime - c).TotalMilliseconds);
                wall[s].Add(w);
            }
        }
    }

    foreach (var s in sizes)
    {
        cpu[s].Sort();
        wall[s].Sort();
        Console.WriteLine($"{mode}, {s} px: CPU median {cpu[s][n / 2]:F1} ms, wall median {wall[s][n / 2]:F1} ms, wall min {wall[s][0]:F1} ms ({n} runs)");
    }

    foreach (var s in sessions.Values.Distinct())
    {
        s.Dispose();
    }
}
