using System.Net.Http.Json;
using System.Text.Json;

namespace OpenAttribution.Server.Tests.Support;

internal static class Json
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}
