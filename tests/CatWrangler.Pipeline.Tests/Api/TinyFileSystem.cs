using System.Diagnostics;

namespace CatWrangler.Pipeline.Tests.Api;

/// <summary>A small tmpfs mounted for one test, so "disk full" is the kernel's real ENOSPC. Needs Linux and mount rights.</summary>
internal sealed class TinyFileSystem : IDisposable
{
    private TinyFileSystem(string path) => Path = path;

    public string Path { get; }

    /// <summary>The mounted folder, or null (with the reason) when this machine cannot mount one.</summary>
    public static (TinyFileSystem? Mounted, string? Reason) TryMount(long bytes)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (null, "needs Linux (tmpfs)");
        }

        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "catwrangler-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            return (null, $"cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN): {output.Trim()}");
        }

        return (new TinyFileSystem(path), null);
    }

    /// <summary>Writes one file until the file system refuses with ENOSPC.</summary>
    public void Fill(string fileName)
    {
        var chunk = new byte[4096];
        using var file = new FileStream(System.IO.Path.Combine(Path, fileName), FileMode.Create);
        try
        {
            while (true)
            {
                file.Write(chunk);
                file.Flush();
            }
        }
        catch (IOException)
        {
            // full
        }
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static (int Code, string Output) Run(string command, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
