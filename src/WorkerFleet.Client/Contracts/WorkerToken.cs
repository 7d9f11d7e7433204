using System.Text.Json.Serialization;
using WorkerFleet.Client.Http;

namespace WorkerFleet.Client;

/// <summary>A worker's own credential, issued by registration or token rotation. It is a type of its own so that
/// printing it, or any record that holds it, never shows the secret: <see cref="ToString"/> is redacted, and only
/// <see cref="Value"/> gives the token itself.</summary>
[JsonConverter(typeof(WorkerTokenJsonConverter))]
public sealed record WorkerToken
{
    /// <summary>What <see cref="ToString"/> shows instead of the token.</summary>
    public const string Redacted = "wft_***";

    /// <summary>Wraps a token the service issued.</summary>
    /// <param name="value">The token, as the service sent it.</param>
    /// <exception cref="ArgumentException">The token is empty or white space.</exception>
    public WorkerToken(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value;
    }

    /// <summary>The token itself: send it as the bearer credential, keep it in a secret store, never log it.</summary>
    public string Value { get; }

    /// <summary>Always <see cref="Redacted"/>.</summary>
    /// <returns><see cref="Redacted"/>.</returns>
    public override string ToString() => Redacted;
}
