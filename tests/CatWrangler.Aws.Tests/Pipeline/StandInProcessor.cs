using System.Net.Http.Json;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Images;
using CatWrangler.Core.Json;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.Core.Security;

namespace CatWrangler.Aws.Tests.Pipeline;

/// <summary>
/// Test stand-in for the pipeline's <c>ScanProcessor.HandleAsync</c> (issue 3, not merged yet): only what the aws-mode
/// flow needs to be observable end to end — load scan and bytes through the ports, classify with the configured
/// detector, store the verdict, send a signed callback; on the last allowed receive the scan is marked failed and the
/// error rethrown so SQS dead-letters the message. Replace with the real ScanProcessor once it lands.
/// </summary>
internal sealed class StandInProcessor(IScanStore scans, IImageStore images, ICatDetector detector, ISecretStore secrets, HttpClient http, int maxReceiveCount)
{
    public async Task<WorkOutcome> HandleAsync(WorkItem item, int receiveCount, CancellationToken cancellationToken)
    {
        var scan = await scans.GetAsync(item.ScanId, cancellationToken) ?? throw new InvalidOperationException("unknown scan " + item.ScanId);
        if (scan.IsTerminal)
        {
            return WorkOutcome.Done;
        }

        try
        {
            var bytes = await images.GetAsync(scan.Image!.StorageKey, cancellationToken) ?? throw new InvalidOperationException("image missing");
            var format = scan.Image.ContentType == "image/png" ? ImageFormat.Png : ImageFormat.Jpeg;
            var result = await detector.DetectAsync(new ImageContent(bytes, format, scan.Image.Width, scan.Image.Height, scan.Image.StorageKey), cancellationToken);
            var done = scan with
            {
                Status = ScanStatus.Done,
                Verdict = result.Verdict,
                Attempts = receiveCount,
                CompletedAt = DateTimeOffset.UtcNow,
                Debug = scan.Debug with { DetectorRaw = result.Diagnostics.RawResponse },
            };
            await scans.SaveAsync(done, cancellationToken);
            await CallbackAsync(done, cancellationToken);
            return WorkOutcome.Done;
        }
        catch (Exception e) when (receiveCount >= maxReceiveCount)
        {
            await scans.SaveAsync(scan with { Status = ScanStatus.Failed, Attempts = receiveCount, Error = new ScanError("processing_failed", e.Message) }, cancellationToken);
            throw;
        }
    }

    private async Task CallbackAsync(Scan scan, CancellationToken cancellationToken)
    {
        if (scan.Source.Api is not { CallbackUrl: { } url } api)
        {
            return;
        }

        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { type = "scan.completed", timestamp = DateTimeOffset.UtcNow, data = scan }, CatWranglerJson.Options);
        var secret = await secrets.GetAsync($"CatWrangler:Clients:{api.ClientId}:Secrets:0", cancellationToken);
        var id = "msg_" + scan.Id;
        var at = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(StandardWebhooksSignature.IdHeader, id);
        request.Headers.Add(StandardWebhooksSignature.TimestampHeader, at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhooksSignature.SignatureHeader, StandardWebhooksSignature.Sign(secret!, id, at, body));
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
