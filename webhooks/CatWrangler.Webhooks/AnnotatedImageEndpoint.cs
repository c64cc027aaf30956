using CatWrangler.Core.Annotation;
using CatWrangler.Core.Ports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CatWrangler.Webhooks;

/// <summary>
/// <c>GET /v1/scans/{id}/annotated</c>: the picture the processor drew for a scan with cats (boxes and scores). This host
/// only serves stored bytes; it draws nothing (and carries no imaging library).
/// </summary>
public sealed class AnnotatedImageEndpoint(ScanApiEndpoints api, IScanStore scans, IImageStore images)
{
    public const string Operation = "GetAnnotatedScan";

    public async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (!(await api.AuthenticateBodylessAsync(request, cancellationToken)).TryGet(out var client, out var problem))
        {
            return problem;
        }

        var scan = Guid.TryParseExact(id, "D", out _) ? await scans.GetAsync(id, cancellationToken) : null;
        if (scan?.Source.Api?.ClientId != client.Id)
        {
            return ApiProblems.NotFound(id);
        }

        var png = await images.GetAnnotatedAsync(scan.Id, cancellationToken);
        return png is null
            ? ApiProblems.NoAnnotatedImage(id, scan.Status)
            : TypedResults.File(png, AnnotatedImageKey.ContentType);
    }
}
