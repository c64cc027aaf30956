using System.Text;
using CatWrangler.Core.Security;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace CatWrangler.Core.Tests.Security;

public sealed class StandardWebhooksSignatureTests
{
    // The example published with the Standard Webhooks specification.
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static readonly DateTimeOffset SpecTime = DateTimeOffset.FromUnixTimeSeconds(1614265330);
    private static readonly byte[] SpecBody = Encoding.UTF8.GetBytes("{\"test\": 2432232314}");
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Signs_the_specification_example()
    {
        Assert.Equal(SpecSignature, StandardWebhooksSignature.Sign(SpecSecret, SpecId, SpecTime, SpecBody));
    }

    [Fact]
    public void Verifies_the_specification_example()
    {
        var check = StandardWebhooksSignature.Verify([SpecSecret], SpecId, "1614265330", SpecSignature, SpecBody, SpecTime.AddSeconds(30));

        Assert.Equal(SignatureCheck.Valid, check);
    }

    [Fact]
    public void Agrees_with_the_StandardWebhooks_package_on_a_json_payload()
    {
        var secret = StandardWebhooksSignature.NewSecret();
        const string payload = "{\"type\":\"scan.completed\",\"data\":{\"id\":\"0193\"}}";
        var now = DateTimeOffset.UtcNow;

        var ours = StandardWebhooksSignature.Sign(secret, "msg_1", now, Encoding.UTF8.GetBytes(payload));
        var theirs = new StandardWebhook(secret).Sign("msg_1", now, payload);
        var headers = new HeaderDictionary
        {
            [StandardWebhooksSignature.IdHeader] = "msg_1",
            [StandardWebhooksSignature.TimestampHeader] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [StandardWebhooksSignature.SignatureHeader] = ours,
        };

        Assert.Equal(theirs, ours);
        new StandardWebhook(secret).Verify(payload, headers); // throws when it disagrees
    }

    [Fact]
    public void Accepts_any_of_several_secrets_and_any_of_several_offered_signatures()
    {
        var oldSecret = StandardWebhooksSignature.NewSecret();
        var newSecret = StandardWebhooksSignature.NewSecret();
        var body = new byte[] { 0xFF, 0xD8, 0xFF, 0x00, 0x80 }; // binary, not valid UTF-8
        var now = DateTimeOffset.UtcNow;
        var header = "v2,abc " + StandardWebhooksSignature.Sign(oldSecret, "id", now, body);

        var check = StandardWebhooksSignature.Verify([newSecret, oldSecret], "id", Ts(now), header, body, now);

        Assert.Equal(SignatureCheck.Valid, check);
    }

    [Fact]
    public void Rejects_a_tampered_body_a_wrong_secret_and_an_other_id()
    {
        var secret = StandardWebhooksSignature.NewSecret();
        var body = "hello"u8.ToArray();
        var now = DateTimeOffset.UtcNow;
        var signature = StandardWebhooksSignature.Sign(secret, "id", now, body);

        Assert.Equal(SignatureCheck.NoMatch, StandardWebhooksSignature.Verify([secret], "id", Ts(now), signature, "hellO"u8, now));
        Assert.Equal(SignatureCheck.NoMatch, StandardWebhooksSignature.Verify([StandardWebhooksSignature.NewSecret()], "id", Ts(now), signature, body, now));
        Assert.Equal(SignatureCheck.NoMatch, StandardWebhooksSignature.Verify([secret], "id2", Ts(now), signature, body, now));
    }

    [Theory]
    [InlineData(-301, SignatureCheck.Expired)]
    [InlineData(301, SignatureCheck.Expired)]
    [InlineData(-299, SignatureCheck.Valid)]
    [InlineData(299, SignatureCheck.Valid)]
    public void Enforces_a_five_minute_window_both_ways(int offsetSeconds, SignatureCheck expected)
    {
        var secret = StandardWebhooksSignature.NewSecret();
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var signature = StandardWebhooksSignature.Sign(secret, "id", signedAt, "x"u8);

        var check = StandardWebhooksSignature.Verify([secret], "id", Ts(signedAt), signature, "x"u8, signedAt.AddSeconds(-offsetSeconds));

        Assert.Equal(expected, check);
    }

    [Theory]
    [InlineData(null, "1", "v1,x", SignatureCheck.MissingHeaders)]
    [InlineData("id", null, "v1,x", SignatureCheck.MissingHeaders)]
    [InlineData("id", "1", "", SignatureCheck.MissingHeaders)]
    [InlineData("id", "soon", "v1,x", SignatureCheck.BadTimestamp)]
    [InlineData("id", "-5", "v1,x", SignatureCheck.BadTimestamp)]
    [InlineData("id", "999999999999", "v1,x", SignatureCheck.Expired)]
    [InlineData("id", "9223372036854775807", "v1,x", SignatureCheck.BadTimestamp)]
    public void Reports_missing_or_malformed_headers(string? id, string? timestamp, string? signature, SignatureCheck expected)
    {
        var check = StandardWebhooksSignature.Verify([StandardWebhooksSignature.NewSecret()], id, timestamp, signature, "x"u8, DateTimeOffset.FromUnixTimeSeconds(1));

        Assert.Equal(expected, check);
    }

    [Fact]
    public void Streaming_verifier_accepts_the_official_library_signature_fed_in_pieces()
    {
        var secret = StandardWebhooksSignature.NewSecret();
        var now = DateTimeOffset.UtcNow;
        var payload = "{\"type\":\"scan.completed\",\"n\":42}";
        var signature = new StandardWebhook(secret).Sign("msg_1", now, payload);
        var bytes = Encoding.UTF8.GetBytes(payload);

        using var verifier = StandardWebhooksVerifier.Start([StandardWebhooksSignature.NewSecret(), secret], "msg_1", Ts(now));
        verifier.Append(bytes.AsSpan(0, 5));
        verifier.Append(bytes.AsSpan(5));

        Assert.True(verifier.Matches("v1,AAAA " + signature));
    }

    private static string Ts(DateTimeOffset t) => t.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
