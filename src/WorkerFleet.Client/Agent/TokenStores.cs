using System.Text;

namespace WorkerFleet.Client.Agent;

/// <summary>Keeps the token for the life of the process only.</summary>
internal sealed class InMemoryWorkerTokenStore : IWorkerTokenStore
{
    private volatile WorkerToken? _token;

    public ValueTask<WorkerToken?> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_token);

    public ValueTask WriteAsync(WorkerToken token, CancellationToken cancellationToken)
    {
        _token = token;
        return ValueTask.CompletedTask;
    }
}

/// <summary>Keeps the token in one file, readable by the process's user only. A write goes to a new file beside it
/// that then replaces it, so a crash mid-write leaves the previous token, never half of one.</summary>
internal sealed class FileWorkerTokenStore(string path) : IWorkerTokenStore
{
    private readonly string _path = Path.GetFullPath(path);

    public string FilePath => _path;

    public async ValueTask<WorkerToken?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var text = (await File.ReadAllTextAsync(_path, cancellationToken)).Trim();
            return text.Length == 0 ? null : new WorkerToken(text);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public async ValueTask WriteAsync(WorkerToken token, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(_path)!;
        Directory.CreateDirectory(directory);
        var next = Path.Combine(directory, $".{Path.GetFileName(_path)}.{Guid.NewGuid():N}.tmp");
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            await using (var stream = new FileStream(next, file))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(token.Value), cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(next, _path, overwrite: true);
        }
        finally
        {
            File.Delete(next);
        }
    }
}
