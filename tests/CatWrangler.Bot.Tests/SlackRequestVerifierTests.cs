using System.Text;
using CatWrangler.Bot.Security;
using Microsoft.Extensions.Time.Testing;

namespace CatWrangler.Bot.Tests;

public sealed class SlackRequestVerifierTests
{
    // Slack's worked example ("Verifying requests from Slack"): the full slash-command body, not a shortened copy.
    private const string DocSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string DocTimestamp = "1531420618";
    private const string DocSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static readonly byte[] DocBody = Encoding.UTF8.GetBytes(
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar" +
        "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=" +
        "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN" +
        "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private static SlackRequestVerifier At(long unixSeconds) => new(new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));

    [Fact]
    public void Slacks_documented_example_signs_and_verifies()
    {
        Assert.Equal(DocSignature, Encoding.ASCII.GetString(SlackRequestVerifier.Sign(DocSecret, DocTimestamp, DocBody)));
        var result = At(1531420618 + 60).Verify(DocSecret, DocTimestamp, DocSignature, DocBody, Window);
        Assert.IsType<SlackVerification.Valid>(result);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void A_timestamp_outside_five_minutes_is_refused(long offsetSeconds)
    {
        var result = At(1531420618 + offsetSeconds).Verify(DocSecret, DocTimestamp, DocSignature, DocBody, Window);
        Assert.Contains("window", Assert.IsType<SlackVerification.Invalid>(result).Reason);
    }

    [Fact]
    public void The_edge_of_the_window_is_accepted()
        => Assert.IsType<SlackVerification.Valid>(At(1531420618 + 300).Verify(DocSecret, DocTimestamp, DocSignature, DocBody, Window));

    [Fact]
    public void A_tampered_body_is_refused()
    {
        var tampered = (byte[])DocBody.Clone();
        tampered[^1] ^= 0x01;
        var result = At(1531420618).Verify(DocSecret, DocTimestamp, DocSignature, tampered, Window);
        Assert.Contains("does not match", Assert.IsType<SlackVerification.Invalid>(result).Reason);
    }

    [Fact]
    public void A_different_secret_is_refused()
        => Assert.IsType<SlackVerification.Invalid>(At(1531420618).Verify("another-secret", DocTimestamp, DocSignature, DocBody, Window));

    [Theory]
    [InlineData(null, DocSignature)]
    [InlineData(DocTimestamp, null)]
    [InlineData("", "")]
    [InlineData("not-a-number", DocSignature)]
    [InlineData(DocTimestamp, "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData(DocTimestamp, "v0=a2114d57")]
    public void Missing_or_malformed_headers_are_refused(string? timestamp, string? signature)
        => Assert.IsType<SlackVerification.Invalid>(At(1531420618).Verify(DocSecret, timestamp, signature, DocBody, Window));

    [Fact]
    public void An_unconfigured_secret_refuses_everything()
    {
        var result = At(1531420618).Verify(null, DocTimestamp, DocSignature, DocBody, Window);
        Assert.Contains("not configured", Assert.IsType<SlackVerification.Invalid>(result).Reason);
    }
}
