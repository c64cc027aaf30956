using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CatWrangler.Core;
using CatWrangler.Core.Images;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Uploads;

namespace CatWrangler.Adapters.Local;

/// <summary>What a <c>PUT</c> to a local upload URL came to.</summary>
public enum UploadReceipt
{
    Stored,
    InvalidSignature,
    Expired,
    AlreadyUsed,
    TooLarge,
}
