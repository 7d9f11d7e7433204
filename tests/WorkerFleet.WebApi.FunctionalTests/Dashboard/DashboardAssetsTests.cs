using System.Net;

namespace WorkerFleet.WebApi.FunctionalTests.Dashboard;

/// <summary>The dashboard's files: anonymous (they hold no data), locked down by their headers, and nothing else
/// under /dashboard.</summary>
public class DashboardAssetsTests() : ApiTestBase(resetBetweenTests: false)
{
    [TestCase("/dashboard/", "text/html")]
    [TestCase("/dashboard/dashboard.js", "text/javascript")]
    [TestCase("/dashboard/modules/sse.js", "text/javascript")]
    [TestCase("/dashboard/dashboard.css", "text/css")]
    [TestCase("/dashboard/vendor/cronstrue/cronstrue.min.js", "text/javascript")]
    public async Task The_files_are_served_without_a_key_and_with_a_strict_content_security_policy(string path, string mediaType)
    {
        using var anonymous = Api.CreateClient();

        var response = await anonymous.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be(mediaType);
        response.Headers.GetValues("Content-Security-Policy").Single().Should()
            .StartWith("default-src 'self'; script-src 'self';").And.Contain("frame-ancestors 'none'");
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.CacheControl!.NoCache.Should().BeTrue();
    }

    [Test]
    public async Task The_bare_path_redirects_to_the_page_on_the_same_host_whatever_the_host_header_says()
    {
        using var anonymous = Api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard?x=1") { Headers = { Host = "evil.example" } };

        var response = await anonymous.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.MovedPermanently);
        response.Headers.Location!.IsAbsoluteUri.Should().BeFalse("a Location built from the Host header could send the browser anywhere");
        response.Headers.Location.OriginalString.Should().Be("/dashboard/?x=1");
    }

    [TestCase("/dashboard/missing.js")]
    [TestCase("/dashboard/vendor/")]
    [TestCase("/dashboard/vendor/cronstrue/package.json")]
    [TestCase("/dashboard/tests/sse.test.mjs")]
    [TestCase("/dashboard/package.json")]
    public async Task Anything_else_under_the_dashboard_is_not_found(string path)
    {
        using var anonymous = Api.CreateClient();

        var response = await anonymous.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
