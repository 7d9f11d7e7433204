using System.Text;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>Reads a Server-Sent Events response frame by frame, as a browser's EventSource would, and keeps the
/// comments it skips.</summary>
internal sealed class EventStreamReader(Stream body) : IDisposable
{
    private readonly StreamReader _reader = new(body, Encoding.UTF8);

    public List<string> Comments { get; } = [];

    /// <summary>The next event; null when the stream ended. Frames without data (the <c>retry:</c> field) are skipped.</summary>
    public async Task<ServerSentEvent?> NextAsync(CancellationToken cancellationToken)
    {
        string? id = null, type = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    return new ServerSentEvent(id, type, data.ToString());
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                Comments.Add(line);
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data.Append(value); break;
            }
        }

        return null;
    }

    public void Dispose() => _reader.Dispose();
}

internal sealed record ServerSentEvent(string? Id, string? Type, string Data);
