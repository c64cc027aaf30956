using CatWrangler.TestSupport;

namespace CatWrangler.Bot.Tests;

/// <summary>The two manifests describe one app: Socket Mode's differs only in having no request URLs and the mode switched on.</summary>
public sealed class SlackManifestTests
{
    private static string[] Lines(string file)
        => [.. File.ReadAllLines(Path.Combine(RepoPaths.Root, file)).Where(l => !l.TrimStart().StartsWith('#'))];

    [Fact]
    public void The_socket_mode_manifest_is_the_http_manifest_without_request_urls()
    {
        var http = Lines("slack-manifest.yml");
        var socket = Lines("slack-manifest.socket-mode.yml");

        var expected = http
            .Where(l => !l.TrimStart().StartsWith("url:", StringComparison.Ordinal) && !l.TrimStart().StartsWith("request_url:", StringComparison.Ordinal))
            .Select(l => l.Replace("socket_mode_enabled: false", "socket_mode_enabled: true", StringComparison.Ordinal));
        Assert.Equal(expected, socket);
        Assert.Contains("  socket_mode_enabled: true", socket);
        Assert.DoesNotContain(socket, l => l.Contains("https://", StringComparison.Ordinal));
    }
}
