using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenAttribution.Cli.Output;

internal static class JsonOut
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static void Write(TextWriter writer, JsonNode node) => writer.WriteLine(node.ToJsonString(Options));

    /// <summary>A JSON number, or null where a number is not finite.</summary>
    public static JsonNode? Number(double x) => double.IsFinite(x) ? JsonValue.Create(x) : null;
}
