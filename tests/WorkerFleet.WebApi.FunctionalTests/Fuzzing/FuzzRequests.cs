using System.Globalization;
using System.Text;
using CsCheck;

namespace WorkerFleet.WebApi.FunctionalTests.Fuzzing;

/// <summary>Who a generated request says it is. The tokens are resolved against each service's own fleet when the
/// request is sent, so one generated sequence means the same on every service it runs against.</summary>
internal enum Caller
{
    None,
    Admin,
    Reader,
    Registrar,
    TokenOfThePathsWorker,
    TokenOfAnotherWorker,
    UnknownKey,
    GuessedToken,
    NotBearer,
}

/// <summary>One generated request: a method and a path with its query, already escaped, a caller and a body.</summary>
internal sealed record FuzzRequest(string Method, string Path, Caller Caller, string? Body, string? ContentType)
{
    /// <summary>The worker whose own token <see cref="Caller.TokenOfThePathsWorker"/> means: the path's id when it
    /// names one of the seeded workers, the first seeded worker otherwise.</summary>
    public string TokenOwner => FuzzRequests.SeededIds.FirstOrDefault(id => Path.StartsWith($"/workers/{id}/", StringComparison.Ordinal) || Path == $"/workers/{id}")
        ?? FuzzRequests.SeededIds[0];

    public override string ToString() =>
        $"{Method} {Shorten(Path)} as {Caller}" + (Body is null ? "" : $" with {ContentType ?? "no content type"} {Shorten(Body)}");

    // An oversized value prints as its start and its length, so a failure's report stays readable.
    private static string Shorten(string text) => text.Length <= 300 ? text : $"{text[..200]}… ({text.Length} characters)";
}

/// <summary>The generators: requests over every public route, with ids, queries, headers and JSON bodies that are
/// sometimes right and often wrong in the ways clients and attackers get them wrong.</summary>
internal static class FuzzRequests
{
    /// <summary>The workers every sequence starts with, registered and heartbeating.</summary>
    public static readonly string[] SeededIds = ["w-1", "w-2", "w-3"];

    private static readonly string[] Statuses = ["Pending", "Active", "Offline", "Failed", "active", "FAILED", "", "Unknown", "3"];

    /// <summary>Ordinary text with one of the characters storage engines and validators differ on inside it.</summary>
    private static readonly Gen<string> OneSpecial = Gen.Select(
        Gen.String[Gen.Char['a', 'z'], 0, 6],
        Gen.OneOf("\0", "\u0007", "\u0085", "\u2028", "\u202e", "\ud800", "\udc00", "\ufeff", "\ufffe", "\u00a0", "é", "工作", "\U0001F680"),
        Gen.String[Gen.Char['a', 'z'], 0, 6],
        (before, special, after) => before + special + after);

    /// <summary>The text of a field a valid request would carry: plain, or plain but for one special character, so a
    /// defect of one character is not hidden behind another the validator refuses.</summary>
    private static readonly Gen<string> FieldText = Gen.Frequency((3, Gen.String[Gen.Char[' ', '~'], 1, 16]), (2, OneSpecial)).Select(Json.Quote);

    /// <summary>Text from every corner: printable ASCII, control characters, the rest of the basic plane (lone
    /// surrogate halves included) and characters beyond it as surrogate pairs.</summary>
    private static readonly Gen<char> HostileChar = Gen.Frequency(
        (4, Gen.Char[' ', '~']),
        (2, Gen.OneOf(Gen.Char['\0', '\u001f'], Gen.Char['\u007f', '\u009f'])),
        (1, Gen.Char['\ud800', '\udfff']),
        (1, Gen.Char['\u00a0', '\ud7ff']));

    private static readonly Gen<string> AnyText = Gen.Frequency(
        (5, Gen.String[Gen.Char[' ', '~'], 0, 24]),
        (4, Gen.String[HostileChar, 0, 12]),
        (1, Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32)),
        (3, OneSpecial),
        (1, Gen.Int[60, 70_000].Select(n => new string('x', n))));

    private static readonly Gen<string> ValidId = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_."], 1, 16];

    private static readonly Gen<string> Id = Gen.Frequency(
        (5, Gen.OneOf(SeededIds)),
        (3, ValidId),
        (2, AnyText),
        (1, Gen.OneOf("active", "counts", "metadata", "..", new string('a', 129))));

    /// <summary>A path segment or query value, percent-encoded as UTF-8 (a lone surrogate becomes U+FFFD), or raw
    /// escapes that are not UTF-8 at all.</summary>
    private static readonly Gen<string> Escaped = Gen.Frequency((9, Id.Select(Escape)), (1, Gen.OneOf("%FF", "%C0%AF", "%", "a%2Fb")));

    private static readonly Gen<string> Number = Gen.Frequency(
        (4, Gen.Int[-2, 1_200].Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.OneOf("99999999999999999999", "1e3", "NaN", "-0", "0x10", "", "1.5")));

    private static readonly Gen<string> QueryValue = Gen.Frequency((3, Number), (3, Escaped), (2, Gen.OneOf(Statuses)), (1, Gen.OneOf("true", "false", "yes")));

    private static Gen<string> Query(params string[] names) =>
        Gen.Select(Gen.OneOf(names), QueryValue, (name, value) => $"{name}={value}").Array[0, 4]
            .Select(pairs => pairs.Length == 0 ? "" : "?" + string.Join('&', pairs));

    private static readonly Gen<string> ListQuery = Query("status", "idPrefix", "region", "capability", "minCapacity", "schedulable", "limit", "cursor", "unknown");

    private static readonly Gen<string> JsonText = AnyText.Select(Json.Quote);

    /// <summary>A JSON value of any type, for a field sent with the wrong one.</summary>
    private static readonly Gen<string> AnyJson = Gen.Frequency(
        (3, JsonText),
        (2, Gen.Int[-5, 100].Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.OneOf("true", "false", "null", "[]", "{}", "1e400", "-1", "2147483648", "\"1\"", "[\"a\",\"a\"]")),
        (1, Gen.Int[1, 300].Select(depth => new string('[', depth) + new string(']', depth))));

    private static readonly Gen<string> Capabilities = Gen.Frequency(
        (4, Gen.OneOf("compute", "gpu", "ssd", "arm64").Array[0, 4].Select(values => "[" + string.Join(',', values.Select(Json.Quote)) + "]")),
        (3, FieldText.Array[0, 3].Select(values => "[" + string.Join(',', values) + "]")),
        (1, JsonText.Array[0, 3].Select(values => "[" + string.Join(',', values) + "]")),
        (1, AnyJson));

    private static readonly Gen<string> Metadata = Gen.Frequency(
        (4, Gen.Select(Gen.OneOf("rack", "os", "zone"), Gen.OneOf("r1", "linux", "a"), (key, value) => $"{Json.Quote(key)}:{Json.Quote(value)}")
            .Array[0, 3].Select(pairs => "{" + string.Join(',', pairs) + "}")),
        (3, Gen.Select(FieldText, FieldText, (key, value) => $"{key}:{value}").Array[0, 3].Select(pairs => "{" + string.Join(',', pairs) + "}")),
        (1, Gen.Select(JsonText, JsonText, (key, value) => $"{key}:{value}").Array[0, 3].Select(pairs => "{" + string.Join(',', pairs) + "}")),
        (1, AnyJson));

    /// <summary>A registration: its fields right or wrong, sometimes one missing, repeated or unknown.</summary>
    private static readonly Gen<string> Registration = Gen.Select(
        Gen.Frequency((3, ValidId.Select(Json.Quote)), (1, Gen.OneOf(SeededIds).Select(Json.Quote)), (1, AnyJson)),
        Gen.Frequency((3, Gen.OneOf("eu-west-1", "us-east-1").Select(Json.Quote)), (2, FieldText), (1, AnyJson)),
        Gen.Frequency((4, Gen.Int[1, 64].Select(n => n.ToString(CultureInfo.InvariantCulture))), (1, AnyJson)),
        Gen.Frequency((4, Capabilities.Select(c => (string?)c)), (1, Gen.Const((string?)null))),
        Gen.Frequency((4, Metadata.Select(m => (string?)m)), (1, Gen.Const((string?)null))),
        Gen.Frequency((6, Gen.Const("")), (1, Gen.OneOf(",\"id\":\"again\"", ",\"admin\":true", ",\"capacity\":2", ",\"ID\":\"x\""))),
        Gen.Int[0, 14],
        (id, region, capacity, capabilities, metadata, extra, drop) =>
        {
            var fields = new List<string> { $"\"id\":{id}", $"\"region\":{region}", $"\"capacity\":{capacity}" };
            if (capabilities is not null)
            {
                fields.Add($"\"capabilities\":{capabilities}");
            }

            if (metadata is not null)
            {
                fields.Add($"\"metadata\":{metadata}");
            }

            if (drop < fields.Count && drop < 3)
            {
                fields.RemoveAt(drop);
            }

            return "{" + string.Join(',', fields) + extra + "}";
        });

    private static readonly Gen<string> StatusChange = Gen.Select(
        Gen.Frequency((4, Gen.OneOf(Statuses).Select(Json.Quote)), (1, AnyJson)),
        Gen.Frequency((2, Gen.Const("")), (2, Gen.OneOf(Statuses).Select(s => $",\"expectedStatus\":{Json.Quote(s)}")), (1, AnyJson.Select(v => $",\"expectedStatus\":{v}"))),
        (status, expected) => $"{{\"status\":{status}{expected}}}");

    private static readonly Gen<string> Schedulable = Gen.Select(
        Gen.Frequency((4, Gen.OneOf("true", "false")), (1, AnyJson)),
        Gen.Frequency((2, Gen.Const("")), (2, FieldText.Select(r => $",\"reason\":{r}")), (1, JsonText.Select(r => $",\"reason\":{r}"))),
        (schedulable, reason) => $"{{\"schedulable\":{schedulable}{reason}}}");

    /// <summary>A body that is not the route's JSON object at all.</summary>
    private static readonly Gen<string> Junk = Gen.OneOf("", "null", "[]", "{", "{}", "\"x\"", "{\"a\":1}{", "<worker/>");

    private static readonly Gen<string?> ContentType = Gen.Frequency(
        (12, Gen.Const((string?)"application/json")),
        (1, Gen.OneOf<string?>(null, "text/plain", "application/json; charset=utf-16", "application/merge-patch+json", "multipart/form-data")));

    private static Gen<FuzzRequest> Route(string method, Gen<string> path, Gen<Caller> caller, Gen<string>? body = null) =>
        body is null
            ? Gen.Select(path, caller, (p, c) => new FuzzRequest(method, p, c, null, null))
            : Gen.Select(path, caller, Gen.Frequency((8, body), (1, Junk)), ContentType, (p, c, b, t) => new FuzzRequest(method, p, c, b, t));

    private static Gen<string> WorkerPath(string suffix = "", Gen<string>? query = null) =>
        Gen.Select(Escaped, query ?? Gen.Const(""), (id, q) => $"/workers/{id}{suffix}{q}");

    private static Gen<Caller> Mostly(Caller usual) => Gen.Frequency((4, Gen.Const(usual)), (3, Gen.Enum<Caller>()));

    /// <summary>Any request to any public route, the method now and then one the route does not take. The event stream
    /// is left out: it stays open by design, and its own tests cover it.</summary>
    public static readonly Gen<FuzzRequest> Request = Gen.Frequency(
        (5, Route("POST", Gen.Const("/workers"), Mostly(Caller.Registrar), Registration)),
        (2, Route("GET", ListQuery.Select(q => "/workers" + q), Mostly(Caller.Reader))),
        (1, Route("GET", Query("limit", "cursor").Select(q => "/workers/active" + q), Mostly(Caller.Reader))),
        (1, Route("GET", Query("status", "limit", "cursor").Select(q => "/workers/metadata" + q), Mostly(Caller.Reader))),
        (1, Route("GET", Gen.Const("/workers/counts"), Mostly(Caller.Reader))),
        (2, Route("GET", WorkerPath(), Mostly(Caller.Reader))),
        (2, Route("DELETE", WorkerPath(), Mostly(Caller.Admin))),
        (4, Route("POST", WorkerPath("/heartbeat"), Mostly(Caller.TokenOfThePathsWorker))),
        (1, Route("POST", WorkerPath("/token"), Mostly(Caller.Admin))),
        (1, Route("GET", WorkerPath("/metadata"), Mostly(Caller.Reader))),
        (1, Route("GET", WorkerPath("/heartbeats", Query("limit")), Mostly(Caller.Reader))),
        (3, Route("PUT", WorkerPath("/status"), Mostly(Caller.Admin), StatusChange)),
        (2, Route("PUT", WorkerPath("/schedulable"), Mostly(Caller.Admin), Schedulable)),
        (1, Route("GET", WorkerPath("/events", Query("limit", "cursor")), Mostly(Caller.Reader))),
        (1, Route("GET", Query("after", "limit").Select(q => "/events" + q), Mostly(Caller.Reader))),
        (1, Route("GET", Gen.Const("/alarms"), Mostly(Caller.Reader))),
        (1, Route("POST", Query("region").Select(q => "/alarms/mass-failure/override" + q), Mostly(Caller.Admin))),
        (2, Route("POST", Gen.Const("/scheduler/run"), Mostly(Caller.Admin))),
        (1, Route("GET", Gen.Const("/me"), Gen.Enum<Caller>())),
        (1, Route("GET", Gen.OneOf("/health", "/health/live", "/health/ready"), Gen.Enum<Caller>())),
        (1, Route("GET", Gen.OneOf("/quartz-api/schedulers", "/quartz-api/schedulers/QuartzScheduler/jobs", "/quartz-api/schedulers/QuartzScheduler/history/executions"), Gen.Enum<Caller>())),
        (1, Gen.Select(Gen.OneOf("GET", "POST", "PUT", "DELETE", "PATCH"), Gen.OneOf("/workers", "/workers/w-1", "/workers/w-1/heartbeat", "/events", "/nowhere", "/health"),
            Gen.Enum<Caller>(), (method, path, caller) => new FuzzRequest(method, path, caller, null, null))));

    /// <summary>A sequence of requests, run in order on a fleet that starts with the seeded workers.</summary>
    public static readonly Gen<FuzzRequest[]> Sequence = Request.Array[1, 12];

    private static string Escape(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var escaped = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                escaped.Append((char)b);
            }
            else
            {
                escaped.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return escaped.ToString();
    }
}

/// <summary>JSON text written by hand, so a body can hold what a serializer would refuse to write: lone surrogate
/// halves, repeated and unknown fields, values of the wrong type.</summary>
internal static class Json
{
    /// <summary>A JSON string of <paramref name="text"/> in ASCII: every character outside printable ASCII as a
    /// <c>\u</c> escape, each UTF-16 unit on its own, so a lone surrogate reaches the service as sent.</summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                >= ' ' and <= '~' => quoted.Append(c),
                _ => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
            };
        }

        return quoted.Append('"').ToString();
    }
}
