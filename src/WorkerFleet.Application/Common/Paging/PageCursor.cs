using System.Buffers.Text;
using System.Text;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Common.Paging;

/// <summary>An opaque continuation token: the base64url of the last id on the previous page.</summary>
internal static class PageCursor
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static string Encode(WorkerId lastId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastId.Value));

    public static bool TryDecode(string? cursor, out WorkerId? after)
    {
        after = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        if (cursor.Length > 2 * WorkerId.MaxLength || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        var id = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        if (!WorkerId.IsValid(id))
        {
            return false;
        }

        after = WorkerId.From(id);
        return true;
    }

    /// <summary>Cuts a list fetched with one extra item into a page, with a cursor when the extra item exists.</summary>
    public static Page<T> ToPage<T>(IReadOnlyList<T> fetched, int limit, Func<T, WorkerId> idOf) =>
        fetched.Count > limit
            ? new Page<T>(fetched.Take(limit).ToList(), Encode(idOf(fetched[limit - 1])))
            : new Page<T>(fetched, null);
}
