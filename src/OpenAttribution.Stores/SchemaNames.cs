using System.Text.RegularExpressions;

namespace OpenAttribution.Stores;

/// <summary>Schema names a store accepts: plain SQL identifiers, safe to write into SQL unquoted.</summary>
public static partial class SchemaNames
{
    public static bool IsValid(string name) => IdentifierPattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
