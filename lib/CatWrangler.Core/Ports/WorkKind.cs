namespace CatWrangler.Core.Ports;

public enum WorkKind
{
    /// <summary>Ingest, classify, store the verdict, notify.</summary>
    Process,
    /// <summary>Deliver the signed outbound callback for a finished API scan.</summary>
    Callback,
    /// <summary>Answer a slow slash command through its <c>response_url</c> (the ack already said "working on it").</summary>
    SlackCommand,
    /// <summary>Find the message of a file seen only in a <c>file_shared</c> event (<c>files.info</c>), then queue its processing.</summary>
    SlackFileShared,
}
