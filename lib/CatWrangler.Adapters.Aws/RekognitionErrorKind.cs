namespace CatWrangler.Adapters.Aws;

/// <summary>What a Rekognition error means for the scan.</summary>
public enum RekognitionErrorKind
{
    /// <summary>Throttling, service faults, timeouts: retried inside the call, then by the queue.</summary>
    Transient,

    /// <summary>The service refuses this image (format, size): the scan fails at once; the sender must act.</summary>
    Rejection,

    /// <summary>The service refuses how we call it (access, S3 object, region, credentials): the scan fails at once; an operator must act.</summary>
    Configuration,
}
