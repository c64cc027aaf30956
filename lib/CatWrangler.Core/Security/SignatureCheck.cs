using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CatWrangler.Core.Security;

public enum SignatureCheck
{
    Valid,
    MissingHeaders,
    BadTimestamp,
    Expired,
    NoMatch,
}
