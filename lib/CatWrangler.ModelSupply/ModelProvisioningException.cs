namespace CatWrangler.ModelSupply;

/// <summary>The detector model could not be obtained or converted; the message says why and what to do.</summary>
public sealed class ModelProvisioningException : InvalidOperationException
{
    public ModelProvisioningException(string message)
        : base(message)
    {
    }

    public ModelProvisioningException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
