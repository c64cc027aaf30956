namespace CatWrangler.Core.Ports;

/// <summary>
/// Port: runs the work items of one <see cref="Kind"/> that is not the scan pipeline's own (e.g. the Slack module's deferred
/// slash-command answers). The processor's dispatch hands such items here; the transport maps the outcome as for any item.
/// </summary>
public interface IWorkKindHandler
{
    WorkKind Kind { get; }

    Task<WorkOutcome> HandleAsync(WorkItem item, int receiveCount, CancellationToken cancellationToken);
}
