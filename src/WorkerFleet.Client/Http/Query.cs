using System.Globalization;
using System.Text;

namespace WorkerFleet.Client.Http;

/// <summary>Builds a relative request path with an escaped query string; unset parameters are left out.</summary>
internal sealed class Query(string path)
{
    private readonly StringBuilder _text = new(path);

    public static string Worker(string workerId, string? rest = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        return rest is null ? $"workers/{Uri.EscapeDataString(workerId)}" : $"workers/{Uri.EscapeDataString(workerId)}/{rest}";
    }

    public Query Add(string name, string? value)
    {
        if (value is not null)
        {
            _text.Append(_text.Length == path.Length ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return this;
    }

    public Query Add(string name, long? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public Query Add(string name, bool? value) => Add(name, value is { } flag ? (flag ? "true" : "false") : null);

    public Query Add(string name, WorkerStatus? value) => Add(name, value?.ToString());

    public override string ToString() => _text.ToString();
}
