using Microsoft.Playwright;

namespace WorkerFleet.WebApi.FunctionalTests.Dashboard;

/// <summary>Debian's Chromium driven by Playwright, headless, with the flags a machine without outside network needs.</summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly List<IBrowserContext> _contexts = [];

    private DashboardBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Where each test's screenshots go: under the test output, one folder for the whole run.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(TestContext.CurrentContext.WorkDirectory, "dashboard-screenshots");

    public static async Task<DashboardBrowser> LaunchAsync()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Fail($"Chromium is not installed ({Chromium} is missing): apt-get install -y chromium.");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // No sandbox as root; no background traffic, which a closed network refuses and which slows every start.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        return new DashboardBrowser(playwright, browser);
    }

    /// <summary>A fresh page in its own context (its own session storage), laptop-sized unless told otherwise.</summary>
    public async Task<IPage> OpenAsync(string baseUrl, int width = 1440, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>Closes every page opened so far, so no page keeps polling the service into the next test.</summary>
    public async Task CloseAllAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        _contexts.Clear();
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var file = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file, name);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
