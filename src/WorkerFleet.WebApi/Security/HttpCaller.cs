using WorkerFleet.Application.Common.Abstractions;

namespace WorkerFleet.WebApi.Security;

/// <summary>The caller of the current request, named by the credential it authenticated with: the key's role and
/// name ("admin key ops") or the worker whose token it holds ("worker gpu-7"). Work outside a request (a scheduled job) is the
/// host's own.</summary>
internal sealed class HttpCaller(IHttpContextAccessor http) : ICaller
{
    public string Name => http.HttpContext is { } context ? context.User.Identity?.Name ?? "anonymous" : "host";

    /// <summary>The name of a caller holding a configured key: its role and the key's name ("admin key ops").</summary>
    public static string NameOf(KeyHolder key) => $"{(key.Role == Roles.Registrar ? "registration" : key.Role)} key {key.Name}";

    /// <summary>The name of a caller holding a worker's token ("worker gpu-7").</summary>
    public static string NameOfWorker(string workerId) => $"worker {workerId}";
}
