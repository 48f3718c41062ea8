using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OpenAttribution.Server.Workspaces;

/// <summary>
/// API keys: a prefix naming the role (<c>oaw_</c> write, <c>oar_</c> read, <c>oaa_</c> admin) and 256 random bits in
/// base64url. Only their SHA-256 hashes are stored; a 256-bit random key needs no salt or slow hash.
/// </summary>
internal static class WorkspaceKeys
{
    public const string WritePrefix = "oaw_";
    public const string ReadPrefix = "oar_";
    public const string AdminPrefix = "oaa_";

    /// <summary>Length of a key: the prefix and 43 base64url characters.</summary>
    public const int Length = 4 + 43;

    public static string NewKey(KeyRole role) =>
        (role switch { KeyRole.Write => WritePrefix, KeyRole.Read => ReadPrefix, _ => AdminPrefix }) + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Whether <paramref name="text"/> has the shape of a write key (the example page accepts nothing else).</summary>
    public static bool LooksLikeWriteKey(string text) =>
        text.Length == Length && text.StartsWith(WritePrefix, StringComparison.Ordinal) &&
        text.AsSpan(WritePrefix.Length).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;
}
