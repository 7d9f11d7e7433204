using WorkerFleet.WebApi.Telemetry;

namespace WorkerFleet.WebApi.Security;

/// <summary>Logs every request that may change something, once its answer is written, under <c>WorkerFleet.Audit</c>:
/// the caller's name (never a credential), the client address, the method and path, and the status. At Information for
/// an authenticated caller; at Debug for a request without a valid credential, which names nobody and which the
/// failed-authentication limit bounds (<see cref="FailedAuthentications"/>), so a storm of them is no flood. Heartbeats are left out: they come by the thousand per second and are counted by outcome instead
/// (<see cref="HeartbeatOutcomeMeter"/>). So are the Quartz API's fetches, which read although they are POSTs.</summary>
internal sealed partial class AuditLog(RequestDelegate next, ILoggerFactory loggers)
{
    public const string Category = "WorkerFleet.Audit";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    /// <summary>Runs outside the exception handler, so the status it logs is the one the caller got, 500 included. The
    /// route is known only once the request has been through routing, so what is left out is decided afterwards.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (!MayChange(context.Request.Method))
        {
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            if (!IsLeftOut(context))
            {
                Write(context);
            }
        }
    }

    private static bool MayChange(string method) =>
        !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method) && !HttpMethods.IsTrace(method);

    private static bool IsLeftOut(HttpContext context) =>
        HeartbeatOutcomeMeter.IsHeartbeat(context)
        || context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>() is { } name
            && SecurityRegistration.QuartzReadsByPost.Contains(name.EndpointName);

    private void Write(HttpContext context)
    {
        var caller = context.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : null;
        Answered(
            _logger,
            caller is null ? LogLevel.Debug : LogLevel.Information,
            caller ?? "unauthenticated caller",
            FailedAuthentications.ClientOf(context),
            context.Request.Method,
            context.Request.Path.ToUriComponent(),
            context.Response.StatusCode);
    }

    [LoggerMessage(EventId = 1, Message = "{Caller} from {Client}: {Method} {Path} answered {StatusCode}")]
    private static partial void Answered(ILogger logger, LogLevel level, string caller, string client, string method, string path, int statusCode);
}
