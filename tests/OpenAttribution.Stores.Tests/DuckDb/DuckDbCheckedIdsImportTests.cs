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
