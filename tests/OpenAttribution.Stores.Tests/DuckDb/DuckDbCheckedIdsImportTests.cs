using OpenAttribution.Core.Events;
using OpenAttribution.Stores.DuckDb;

namespace OpenAttribution.Stores.Tests.DuckDb;

public sealed class DuckDbCheckedIdsImportTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "oa-checked-ids-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void AnImportOfCheckedIdsStoresEveryEventAndLaterImportsStillFindDuplicates()
    {
        using var store = new DuckDbEventStore(Path.Combine(_folder, "s.duckdb"), "ws_test");
        const string First = "event_id,timestamp,anonymous_id,type,source,medium\ne1,2026-03-01T09:00:00Z,a,touch,google,cpc\ne2,2026-03-01T10:00:00Z,a,touch,bing,cpc\n";
        const string Again = "event_id,timestamp,anonymous_id,type,source,medium\ne2,2026-03-01T10:00:00Z,a,touch,bing,cpc\ne3,2026-03-01T11:00:00Z,a,touch,bing,cpc\n";

        ImportCounts first;
        using (var import = store.BeginImportOfCheckedIds())
        {
            CsvEventReader.Read(new StringReader(First), new Forward(import));
            first = import.Commit();
        }

        ImportCounts again;
        using (var import = store.BeginImport())
        {
            CsvEventReader.Read(new StringReader(Again), new Forward(import));
            again = import.Commit();
        }

        Assert.Equal(new ImportCounts(2, 0), first);
        Assert.Equal(new ImportCounts(1, 1), again);
        Assert.Equal(3, store.CountEvents());
    }

    [Fact]
    public void TheStoredIdsAreReadBackEveryOneOnceAndEventsWithoutAnIdAreLeftOut()
    {
        using var store = new DuckDbEventStore(Path.Combine(_folder, "ids.duckdb"), "ws_test");
        var csv = new System.Text.StringBuilder("event_id,timestamp,anonymous_id,type,source,medium\n");
        var expected = new List<string>();
        for (var i = 0; i < 5000; i++)
        {
            // Long ids (stored out of line by DuckDB), short ones (inline), non-ASCII ones, and every tenth without an id.
            var id = i % 10 == 0 ? "" : i % 3 == 0 ? $"évènement-{i}-{new string('x', 20)}" : $"e{i}";
            csv.Append(id).Append(",2026-03-01T09:00:00Z,a").Append(i % 7).Append(",touch,google,cpc\n");
            if (id.Length > 0)
            {
                expected.Add(id);
            }
        }

        using (var import = store.BeginImport())
        {
            CsvEventReader.Read(new StringReader(csv.ToString()), new Forward(import));
            import.Commit();
        }

        var read = new List<string>();
        var count = store.ReadEventIds(id => read.Add(id.ToString()));

        Assert.Equal(expected.Count, count);
        Assert.Equal(expected.Order(StringComparer.Ordinal), read.Order(StringComparer.Ordinal));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private sealed class Forward(IStoreImport import) : IEventSink
    {
        public void Accept(in EventRow row) => import.Add(row);

        public void Reject(Core.Text.InputError error) => throw new InvalidOperationException(error.ToString());
    }
}
