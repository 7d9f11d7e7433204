using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Domain.UnitTests;

public class WorkerTokenTests
{
    [Test]
    public void An_issued_token_carries_256_random_bits_behind_its_prefix()
    {
        var token = WorkerToken.Issue();

        token.Value.Should().StartWith(WorkerToken.Prefix);
        Convert.FromBase64String(ToBase64(token.Value[WorkerToken.Prefix.Length..])).Should().HaveCount(32);
        WorkerToken.LooksLikeToken(token.Value).Should().BeTrue();
    }

    [Test]
    public void Issued_tokens_do_not_repeat() =>
        Enumerable.Range(0, 1000).Select(_ => WorkerToken.Issue().Value).Should().OnlyHaveUniqueItems();

    [Test]
    public void The_stored_hash_is_the_sha256_of_the_token_and_not_the_token()
    {
        var token = WorkerToken.Issue();

        token.Hash.Should().MatchRegex("^[0-9a-f]{64}$").And.Be(WorkerToken.HashOf(token.Value));
        token.Hash.Should().NotContain(token.Value[WorkerToken.Prefix.Length..]);
    }

    [Test]
    public void Printing_a_token_never_shows_it()
    {
        var token = WorkerToken.Issue();

        token.ToString().Should().Be("wft_***");
        $"{token}".Should().NotContain(token.Value);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("wft_")]
    [TestCase("dev-admin-key-change-me-0123456789abcdef")]
    [TestCase("WFT_abc")]
    [TestCase("wft_never-issued-0123456789abcdefghijklmnopqr")]
    [TestCase("wft_never-issued-0123456789abcdefghijklmnopqrstu")]
    [TestCase("wft_never-issued 0123456789abcdefghijklmnopqrst")]
    [TestCase("wft_never-issued=0123456789abcdefghijklmnopqrst")]
    [TestCase("wft_never-issued+0123456789abcdefghijklmnopqrst")]
    [TestCase("wft_!never-issued0123456789abcdefghijklmnopqrst")]
    public void Values_without_the_token_shape_are_not_tokens(string? value) => WorkerToken.LooksLikeToken(value).Should().BeFalse();

    [Test]
    public void A_value_of_the_issued_shape_is_a_token_whether_or_not_it_was_issued() =>
        WorkerToken.LooksLikeToken("wft_never-issued-0123456789abcdefghijklmnopqrst").Should().BeTrue();

    [Test]
    public void Oversized_values_are_not_tokens() =>
        WorkerToken.LooksLikeToken(WorkerToken.Prefix + new string('a', WorkerToken.MaxLength)).Should().BeFalse();

    private static string ToBase64(string base64Url)
    {
        var padded = base64Url.Replace('-', '+').Replace('_', '/');
        return padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=');
    }
}
