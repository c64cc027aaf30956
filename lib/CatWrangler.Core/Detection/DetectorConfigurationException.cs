namespace CatWrangler.Core.Detection;

/// <summary>
/// Thrown by a detector when its service refuses the call because of how the deployment is set up (permissions,
/// region, credentials, endpoint). Not the image's fault and not fixed by retrying: the scan fails at once and the
/// message tells an operator what to change.
/// </summary>
public sealed class DetectorConfigurationException(string message, Exception? innerException = null) : Exception(message, innerException);
