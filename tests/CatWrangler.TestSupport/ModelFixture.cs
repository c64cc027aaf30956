using CatWrangler.ModelSupply;
using Xunit;

namespace CatWrangler.TestSupport;

/// <summary>
/// The real detector model for tests, built by the product's <see cref="ModelProvisioner"/> into
/// <c>&lt;repo&gt;/artifacts/models</c> (npm pack + conversion on a fresh clone, about a minute; a hash check on later runs).
/// Register it once per test project with <c>[assembly: AssemblyFixture(typeof(ModelFixture))]</c> and take it as a
/// constructor parameter. Concurrent test processes share the cache safely (the provisioner locks and renames atomically).
/// </summary>
public sealed class ModelFixture : IAsyncLifetime
{
    public static string ModelDirectory => Path.Combine(RepoPaths.Root, "artifacts", "models");

    public string ModelPath { get; private set; } = string.Empty;

    public string ModelVersion { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        var progress = new Progress(TestContext.Current);
        var model = await new ModelProvisioner(ModelDirectory).EnsureAsync(progress, TestContext.Current.CancellationToken);
        ModelPath = model.Path;
        ModelVersion = model.Version;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Progress(ITestContext context) : IProgress<string>
    {
        public void Report(string value) => context.SendDiagnosticMessage("model: " + value);
    }
}
