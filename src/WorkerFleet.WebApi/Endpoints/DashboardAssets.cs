using Microsoft.Extensions.FileProviders;

namespace WorkerFleet.WebApi.Endpoints;

/// <summary>Serves the operations dashboard's static files at /dashboard. The files hold no fleet data, so they
/// are anonymous; every number the page shows comes from the public API with the key the operator enters.</summary>
internal static class DashboardAssets
{
    public const string Path = "/dashboard";

    /// <summary>Where the build copies the dashboard's files, beside the service's own assembly, so the page is
    /// there however the service is started: dotnet run, the built dll, a publish folder or a test host.</summary>
    private static readonly string Folder = System.IO.Path.Combine(AppContext.BaseDirectory, "dashboard");

    // The page runs only its own scripts and talks only to its own origin; nothing may frame it.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>Serves the files ahead of routing, then routes; any other path under /dashboard is a plain 404
    /// rather than the 401 every unknown route gets from the fallback authorization policy.</summary>
    public static WebApplication UseDashboard(this WebApplication app)
    {
        var files = new PhysicalFileProvider(Folder);
        // The framework's own redirect of /dashboard writes an absolute Location from the request's Host header, which a
        // caller chooses: this one is relative, so it always stays on the host the browser asked.
        app.Use((context, next) =>
        {
            if (!context.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase))
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            context.Response.Headers.Location = $"{Path}/{context.Request.QueryString}";
            return Task.CompletedTask;
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = Path });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = Path,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // Revalidated on every load, so an upgraded service never runs a page from an older one.
                headers.CacheControl = "no-cache";
            },
        });
        app.UseRouting();
        app.MapGet($"{Path}/{{**file}}", () => TypedResults.NotFound()).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
