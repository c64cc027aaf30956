using CatWrangler.Core.Ports;

namespace CatWrangler.Processor;

/// <summary>
/// The platform-agnostic per-record step (the pipeline's <c>ScanProcessor.HandleAsync</c>): given the work item and how
/// often it was received, it decides the outcome; on the last allowed attempt it records the failure on the scan.
/// </summary>
public delegate Task<WorkOutcome> WorkItemHandler(WorkItem item, int receiveCount, CancellationToken cancellationToken);
