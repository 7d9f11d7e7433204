using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.Json;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>A worker's capabilities as SQLite stores them: a JSON array of strings, which its queries read with
/// <c>json_each</c>. EF Core's own reader of a collection of strings is built anew for every row it reads, and looks its
/// constructor up by reflection each time (a tenth of the CPU of a page of 1,000 workers, docs/performance-log.md);
/// this one is built once.</summary>
internal sealed class SqliteCapabilitiesJson : JsonValueReaderWriter<List<string>>
{
    /// <summary>The one instance; EF Core finds it by this name.</summary>
    public static SqliteCapabilitiesJson Instance { get; } = new();

    public override Expression ConstructorExpression { get; } =
        Expression.Property(null, typeof(SqliteCapabilitiesJson).GetProperty(nameof(Instance))!);

    public override List<string> FromJsonTyped(ref Utf8JsonReaderManager manager, object? existingObject = null)
    {
        if (manager.CurrentReader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"A worker's capabilities are a JSON array, not {manager.CurrentReader.TokenType}.");
        }

        var capabilities = new List<string>();
        for (manager.MoveNext(); manager.CurrentReader.TokenType != JsonTokenType.EndArray; manager.MoveNext())
        {
            capabilities.Add(manager.CurrentReader.GetString()
                ?? throw new JsonException("A worker's capabilities hold no null."));
        }

        return capabilities;
    }

    /// <summary>As <see cref="WorkerEntity.ToJson{T}"/> writes it for the registration writers.</summary>
    public override void ToJsonTyped(Utf8JsonWriter writer, List<string> value) =>
        JsonSerializer.Serialize(writer, value, JsonSerializerOptions.Default);
}
