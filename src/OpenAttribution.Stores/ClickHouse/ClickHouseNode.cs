using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace OpenAttribution.Stores.ClickHouse;

/// <summary>
/// One server of the cluster, spoken to over the HTTP interface (POST the SQL; TSV bodies for
/// inserts; <c>wait_end_of_query=1</c> so an error is an HTTP status, never a truncated result).
/// Every failure becomes a <see cref="ClickHouseException"/> that names the shard.
/// </summary>
internal sealed class ClickHouseNode
{
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly string _database;

    public ClickHouseNode(HttpClient http, Uri address, string database)
    {
        _http = http;
        _base = address;
        _database = database;
        Name = address.Authority;
    }

    /// <summary>1-based shard number in the cluster; 0 until known.</summary>
    public int Shard { get; set; }

    /// <summary>host:port of the HTTP endpoint.</summary>
    public string Name { get; }

    /// <summary>For messages: "shard 2 (127.0.0.1:18125)".</summary>
    public override string ToString() => Shard > 0 ? $"shard {Shard.ToString(CultureInfo.InvariantCulture)} ({Name})" : Name;

    /// <summary>Runs a statement; returns the body (small results only).</summary>
    public string Execute(string sql, IReadOnlyDictionary<string, string>? settings = null, bool inDatabase = true, CancellationToken cancellationToken = default)
    {
        using var request = Request(inDatabase, settings);
        request.Content = new StringContent(sql, Encoding.UTF8);
        using var response = Send(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return response.Content.ReadAsStringAsync(cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>Rows of a query as TSV lines, still escaped (see <see cref="Tsv"/>).</summary>
    public List<string> Lines(string sql, CancellationToken cancellationToken = default, bool inDatabase = true)
    {
        var text = Execute(sql, inDatabase: inDatabase, cancellationToken: cancellationToken);
        var lines = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > 0)
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    /// <summary>A query whose result is streamed: the caller reads and disposes the response.</summary>
    public HttpResponseMessage Stream(string sql, CancellationToken cancellationToken = default)
    {
        using var request = Request(true, null);
        request.Content = new StringContent(sql, Encoding.UTF8);
        return Send(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>An INSERT whose rows (TSV) are the body; <paramref name="insert"/> ends in FORMAT TabSeparated.</summary>
    public void Insert(string insert, byte[] rows, int length, IReadOnlyDictionary<string, string>? settings = null)
    {
        using var request = Request(true, settings, ("query", insert));
        request.Content = new ByteArrayContent(rows, 0, length);
        using var response = Send(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
    }

    /// <summary>A query that joins a small table sent along with it (ClickHouse's "external data").</summary>
    public string QueryWithTable(string sql, string table, string structure, byte[] rows, IReadOnlyDictionary<string, string>? settings = null, CancellationToken cancellationToken = default)
    {
        using var request = Request(true, settings, (table + "_structure", structure), (table + "_format", "TabSeparated"));
        var form = new MultipartFormDataContent();
        form.Add(new StringContent(sql, Encoding.UTF8), "query");
        var file = new ByteArrayContent(rows);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, table, table + ".tsv");
        request.Content = form;
        using var response = Send(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return response.Content.ReadAsStringAsync(cancellationToken).GetAwaiter().GetResult();
    }

    private HttpRequestMessage Request(bool inDatabase, IReadOnlyDictionary<string, string>? settings, params (string Key, string Value)[] extra)
    {
        var query = new StringBuilder("?wait_end_of_query=1");
        if (inDatabase)
        {
            Append(query, "database", _database);
        }

        foreach (var (key, value) in extra)
        {
            Append(query, key, value);
        }

        if (settings is not null)
        {
            foreach (var (key, value) in settings)
            {
                Append(query, key, value);
            }
        }

        return new HttpRequestMessage(HttpMethod.Post, new Uri(_base, query.ToString()));

        static void Append(StringBuilder query, string key, string value) =>
            query.Append('&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
    }

    private HttpResponseMessage Send(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = _http.Send(request, completion, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ClickHouseException($"ClickHouse {this} is unreachable: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClickHouseException($"ClickHouse {this} did not answer in time.", e);
        }

        if (response.StatusCode == HttpStatusCode.OK)
        {
            return response;
        }

        using (response)
        {
            var body = response.Content.ReadAsStringAsync(cancellationToken).GetAwaiter().GetResult().Trim();
            var cut = body.IndexOf(", e.what()", StringComparison.Ordinal);
            throw new ClickHouseException($"ClickHouse {this}: {(cut > 0 ? body[..cut] : body)}");
        }
    }
}
