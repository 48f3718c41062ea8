using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace OpenAttribution.Stores.PostgreSql;

/// <summary>
/// A <c>postgresql://user:pass@host:port/db?schema=NAME</c> (or <c>postgres://</c>) URI turned into an
/// Npgsql connection string. Besides <c>schema</c> (default <c>public</c>) the query may carry the libpq
/// parameters <c>sslmode</c>, <c>connect_timeout</c> and <c>application_name</c>. A password may also
/// come from <c>PGPASSWORD</c> or <c>~/.pgpass</c> (Npgsql reads both).
/// </summary>
internal sealed partial class PostgreSqlLocation
{
    public const int DefaultPort = 5432;

    private PostgreSqlLocation(string connectionString, string schema, string description)
    {
        ConnectionString = connectionString;
        Schema = schema;
        Description = description;
    }

    /// <summary>Holds the password: never print it.</summary>
    public string ConnectionString { get; }

    public string Schema { get; }

    /// <summary>Backend, user, host, port, database and schema; no password.</summary>
    public string Description { get; }

    public override string ToString() => Description;

    public static PostgreSqlLocation Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var schemeEnd = uri.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd > 0 ? uri[..schemeEnd] : "";
        if (!scheme.Equals("postgresql", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("postgres", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("A PostgreSQL store is a URI postgresql://user:pass@host:port/db[?schema=NAME].", nameof(uri));
        }

        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Fragment.Length > 0)
        {
            // Never echo the URI: it may hold a password.
            throw new ArgumentException(
                "The PostgreSQL URI is malformed; expected postgresql://user:pass@host:port/db[?schema=NAME] (percent-encode special characters in the user and password).",
                nameof(uri));
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = HostOf(parsed),
            Port = parsed.Port > 0 ? parsed.Port : DefaultPort,
            ApplicationName = "openattribution",
            CommandTimeout = 0, // imports of millions of rows run longer than the default 30 s
            Enlist = false,
        };

        var userInfo = parsed.UserInfo;
        if (userInfo.Length > 0)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon >= 0 ? userInfo[..colon] : userInfo);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(parsed.AbsolutePath.TrimStart('/'));
        if (database.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("The PostgreSQL URI names more than a database in its path: use postgresql://host:port/db.", nameof(uri));
        }

        if (database.Length > 0)
        {
            builder.Database = database;
        }

        var schema = "public";
        foreach (var (key, value) in QueryOf(parsed))
        {
            switch (key)
            {
                case "schema":
                    if (!IdentifierPattern().IsMatch(value))
                    {
                        throw new ArgumentException(
                            $"schema '{value}' in the PostgreSQL URI is not a plain identifier (letters, digits and _, not starting with a digit, at most 63 characters).",
                            nameof(uri));
                    }

                    schema = value;
                    break;
                case "sslmode":
                    builder.SslMode = Enum.TryParse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode)
                        ? mode
                        : throw new ArgumentException($"sslmode '{value}' in the PostgreSQL URI is unknown (disable, allow, prefer, require, verify-ca, verify-full).", nameof(uri));
                    break;
                case "connect_timeout":
                    builder.Timeout = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 1024
                        ? seconds
                        : throw new ArgumentException($"connect_timeout '{value}' in the PostgreSQL URI is not a number of seconds (0 to 1024).", nameof(uri));
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                default:
                    throw new ArgumentException(
                        $"Unknown parameter '{key}' in the PostgreSQL URI; known: schema, sslmode, connect_timeout, application_name.", nameof(uri));
            }
        }

        var user = builder.Username is { Length: > 0 } name ? name + "@" : "";
        var host = builder.Host!.Contains(':', StringComparison.Ordinal) ? "[" + builder.Host + "]" : builder.Host;
        var description = $"PostgreSQL {user}{host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}/{builder.Database ?? builder.Username ?? ""} (schema {schema})";
        return new PostgreSqlLocation(builder.ConnectionString, schema, description);
    }

    /// <summary>The same URI with its <c>schema</c> parameter set to <paramref name="schema"/>.</summary>
    public static string WithSchema(string uri, string schema)
    {
        var q = uri.IndexOf('?', StringComparison.Ordinal);
        var head = q >= 0 ? uri[..q] : uri;
        var kept = q >= 0
            ? uri[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("schema=", StringComparison.OrdinalIgnoreCase))
            : [];
        return head + "?" + string.Join('&', kept.Append("schema=" + Uri.EscapeDataString(schema)));
    }

    private static string HostOf(Uri uri)
    {
        var host = uri.Host;
        if (host.Length == 0)
        {
            return "localhost";
        }

        return host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : Uri.UnescapeDataString(host);
    }

    private static IEnumerable<(string Key, string Value)> QueryOf(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((eq >= 0 ? part[..eq] : part).Replace('+', ' '));
            var value = eq >= 0 ? Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' ')) : "";
            yield return (key.ToLowerInvariant(), value);
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
