using System.Data.Common;

namespace WorkerFleet.Application.UnitTests.Testing;

/// <summary>A database driver's exception that says whether retrying later may succeed.</summary>
public sealed class FakeDbException(bool isTransient) : DbException(isTransient ? "the server closed the connection" : "syntax error")
{
    public override bool IsTransient => isTransient;
}
