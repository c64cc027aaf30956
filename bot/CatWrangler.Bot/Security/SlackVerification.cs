using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CatWrangler.Bot.Security;

/// <summary>The result of checking a request's <c>v0</c> signature.</summary>
public abstract record SlackVerification
{
    private SlackVerification() { }

    public sealed record Valid : SlackVerification;

    /// <param name="Reason">Safe to show to the caller: it never contains the expected signature.</param>
    public sealed record Invalid(string Reason) : SlackVerification;

    public static readonly SlackVerification Ok = new Valid();
}
