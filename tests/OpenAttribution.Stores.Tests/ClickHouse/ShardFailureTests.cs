using System.Diagnostics;
using System.Globalization;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Stores.ClickHouse;

namespace OpenAttribution.Stores.Tests.ClickHouse;

/// <summary>
/// A stopped shard makes reads fail naming it, never return the other shards' numbers. Runs on the
/// spare cluster of <c>.ci/clickhouse.sh</c> (node1 and node3): it stops node3 and starts it again,
/// so the 2-shard test cluster (node1 and node2) stays usable.
/// </summary>
public sealed class ShardFailureTests
{
    private static string SpareUri => Environment.GetEnvironmentVariable("OA_TEST_CLICKHOUSE_SPARE") is { Length: > 0 } uri
        ? uri
        : "clickhouse://127.0.0.1:18124,127.0.0.1:18126/oa_spare?cluster=oa_spare";

    private static string PidFile => Environment.GetEnvironmentVariable("OA_TEST_CLICKHOUSE_SPARE_PIDFILE") is { Length: > 0 } file
        ? file
        : "/var/tmp/oa-clickhouse/node3/server.pid";

    private static string StartCommand => Environment.GetEnvironmentVariable("OA_TEST_CLICKHOUSE_SPARE_START") is { Length: > 0 } command
        ? command
        : "/usr/sbin/clickhouse-server --config-file=/var/tmp/oa-clickhouse/node3/config.xml --pid-file=/var/tmp/oa-clickhouse/node3/server.pid --daemon";

    [ClickHouseFact]
    public void AStoppedShardMakesReportsFailNamingItNeverPartialNumbers()
    {
        Assert.True(File.Exists(PidFile), $"the spare node's pid file {PidFile} is missing: run `source .ci/clickhouse.sh`");
        var uri = ClickHouseTestServer.WithDatabase(SpareUri, "oa_t_" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            using var store = new ClickHouseEventStore(uri);
            var people = Enumerable.Range(0, 30).Select(p => string.Create(CultureInfo.InvariantCulture,
                $"t{p},2026-03-01T09:00:00Z,u{p},,touch,Email,,,,,,,,,\nc{p},2026-03-02T09:00:00Z,u{p},,conversion,,,,,,,,,purchase,1"));
            using (var import = store.BeginImport())
            {
                CsvEventReader.Read(new StringReader(EventStoreContractHeader + "\n" + string.Join('\n', people)), new Forward(import));
                import.Commit();
            }

            var request = new AttributionRequest([ModelSpec.Of(ModelKind.Linear), ModelSpec.Of(ModelKind.Markov)], Dimension.Channel, new JourneyOptions(), ChannelGrouping.Default);
            Assert.Equal(30, store.Run(request)[0].Get("Email").Conversions, 9);

            StopSpare();
            var shard = store.Shards[1];
            Assert.Contains("127.0.0.1:18126", shard, StringComparison.Ordinal);
            foreach (var read in new Action[] { () => store.Run(request), () => store.CountEvents(), () => store.ReadEvents(new EventTableBuilder()), () => store.BeginImport().Dispose() })
            {
                var error = Assert.Throws<ClickHouseException>(read);
                Assert.Contains($"ClickHouse {shard} is unreachable", error.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            StartSpare();
            ClickHouseTestServer.Drop(uri);
        }
    }

    private const string EventStoreContractHeader = "event_id,timestamp,user_id,anonymous_id,type,channel,source,medium,campaign,content,term,referrer,url,conversion,value";

    private static void StopSpare()
    {
        var pid = int.Parse(File.ReadAllText(PidFile).Trim(), CultureInfo.InvariantCulture);
        using var process = Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit(30_000);
    }

    private static void StartSpare()
    {
        var node = ClickHouseLocation.Parse(SpareUri).Nodes[^1];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        if (Answers(http, node))
        {
            return;
        }

        var parts = StartCommand.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        using (var start = Process.Start(new ProcessStartInfo(parts[0], parts[1..]) { UseShellExecute = false })!)
        {
            start.WaitForExit(30_000);
        }

        for (var i = 0; i < 60 && !Answers(http, node); i++)
        {
            Thread.Sleep(500);
        }
    }

    private static bool Answers(HttpClient http, Uri node)
    {
        try
        {
            using var response = http.GetAsync(new Uri(node, "ping")).GetAwaiter().GetResult();
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private sealed class Forward(IStoreImport import) : IEventSink
    {
        public void Accept(in EventRow row) => import.Add(row);

        public void Reject(Core.Text.InputError error) => throw new InvalidOperationException(error.ToString());
    }
}
