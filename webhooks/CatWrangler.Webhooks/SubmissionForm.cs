namespace CatWrangler.Webhooks;

/// <summary>How a scan submission carries its image: the raw body, a multipart form or a JSON document.</summary>
internal enum SubmissionForm
{
    Raw,
    Multipart,
    Json,
}
