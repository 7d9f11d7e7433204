using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>Runs one lifecycle sweep against the heartbeat cutoff of now − timeout.</summary>
internal sealed class LifecycleSweeper(IWorkerRepository workers, TimeProvider timeProvider, IOptions<LifecycleOptions> options)
{
    public async Task<Result<IReadOnlyList<WorkerId>>> RunAsync(LifecycleSweep sweep, CancellationToken cancellationToken)
    {
        var cutoff = timeProvider.GetStorableUtcNow() - options.Value.HeartbeatTimeout;
        return Result<IReadOnlyList<WorkerId>>.Success(await workers.ApplySweepAsync(sweep, cutoff, cancellationToken));
    }
}
