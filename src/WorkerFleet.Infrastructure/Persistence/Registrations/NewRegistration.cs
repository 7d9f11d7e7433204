using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence.Registrations;

/// <summary>One caller's registration: the new worker, and who registers it, for its journal event.</summary>
internal sealed record NewRegistration(Worker Worker, string Actor) : IBatchedWrite
{
    public static string Kind => "registrations";
}
