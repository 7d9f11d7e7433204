namespace WorkerFleet.Domain.Workers;

public enum WorkerStatus
{
    Pending,
    Active,
    Offline,
    Failed,
}
