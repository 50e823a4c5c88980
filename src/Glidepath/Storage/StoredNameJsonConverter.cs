using System.Text.Json;
using System.Text.Json.Serialization;

namespace Glidepath.Storage;

/// <summary>Writes and reads a state enum in JSON as its <see cref="StoredName"/>, so output and store agree whatever the serializer options.</summary>
public sealed class StoredNameJsonConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        StoredName.Parse<T>(reader.GetString() ?? throw new JsonException($"expected a {typeof(T).Name} string"));

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(StoredName.Of(value));
    }
}
