namespace WorkerFleet.WebApi.Security;

/// <summary>What a caller is, as established by <see cref="CredentialAuthenticationHandler"/>.</summary>
internal static class Roles
{
    public const string Admin = "admin";
    public const string Reader = "reader";
    public const string Registrar = "registrar";

    /// <summary>The claim naming the worker a worker token belongs to.</summary>
    public const string WorkerClaim = "worker_id";
}

/// <summary>The authorization policies the endpoints name.</summary>
internal static class Policies
{
    public const string Register = "register";
    public const string Read = "read";
    public const string Operate = "operate";
    public const string WorkerItself = "worker-itself";
    public const string OperatorOrWorkerItself = "operator-or-worker-itself";
    public const string HeartbeatRate = "heartbeat-rate";
    public const string RegistrationRate = "registration-rate";

    /// <summary>The Quartz HTTP API: readers and admins read it, only admins change anything through it.</summary>
    public const string SchedulerApi = "scheduler-api";
}
