using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace WorkerFleet.Application.Common.Paging;

/// <summary>An opaque continuation token of a timeline: the base64url of the last sequence on the previous page.</summary>
internal static class EventCursor
{
    public static string Encode(long sequence) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(sequence.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string? cursor, out long? before)
    {
        before = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        if (cursor.Length > 40 || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence < 1)
        {
            return false;
        }

        before = sequence;
        return true;
    }
}
