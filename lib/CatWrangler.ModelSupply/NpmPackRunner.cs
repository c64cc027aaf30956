using System.ComponentModel;
using System.Diagnostics;

namespace CatWrangler.ModelSupply;

/// <summary>Runs the <c>npm</c> executable found on PATH (or another executable with npm's command line).</summary>
public sealed class NpmPackRunner(string executable = "npm") : INpmPackRunner
{
    public async Task<string> PackAsync(string packageSpec, string destination, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = destination,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("pack");
        start.ArgumentList.Add(packageSpec);
        start.ArgumentList.Add("--silent");

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ModelProvisioningException("npm could not be started.");
        }
        catch (Win32Exception e)
        {
            throw new ModelProvisioningException(
                $"npm was not found ({e.Message}). Install Node.js with npm: the detector model is fetched once with `npm pack {packageSpec}`.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var output = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                var tail = string.Join(" | ", errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));
                throw new ModelProvisioningException($"`npm pack {packageSpec}` failed with exit code {process.ExitCode}: {tail}");
            }

            // npm prints the tarball's file name as its last line
            var name = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            var path = name is null ? null : Path.Combine(destination, name);
            return path is not null && File.Exists(path)
                ? path
                : Directory.EnumerateFiles(destination, "*.tgz").FirstOrDefault()
                    ?? throw new ModelProvisioningException($"`npm pack {packageSpec}` succeeded but wrote no .tgz file.");
        }
    }
}
