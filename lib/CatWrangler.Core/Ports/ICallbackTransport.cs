using CatWrangler.Core.Pipeline;

namespace CatWrangler.Core.Ports;

/// <summary>
/// Port: sends one callback attempt. The adapter does the HTTP (guarded connect, no redirects, timeout) and reports what
/// happened as data; the <see cref="CallbackSender"/> decides the outcome and the schedule.
/// </summary>
public interface ICallbackTransport
{
    Task<CallbackResponse> PostAsync(CallbackRequest request, CancellationToken cancellationToken);
}
