using OpenAttribution.Core.Events;
using OpenAttribution.Stores.Workspaces;

namespace OpenAttribution.Stores.Tests.Workspaces;

/// <summary>The behaviour every store's workspace catalog must have; each backend derives from this.</summary>
public abstract class WorkspaceCatalogContract
{
    private const string Events = """
        event_id,timestamp,anonymous_id,type,source,medium,conversion,value
        e1,2026-03-01T09:00:00Z,a,touch,google,cpc,,
        e2,2026-03-02T09:00:00Z,a,conversion,,,purchase,10
        """;

    /// <summary>A store location with nothing in it yet.</summary>
    protected abstract string NewStore();

    private static WorkspaceRecord Record(string name) =>
        new(name, "ws_" + Guid.NewGuid().ToString("N")[..16], [1, 2, 3], [4, 5, 6], new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

    [StoreFact]
    public void AddedWorkspacesAreListedByNameWithTheirKeyHashes()
    {
        var store = NewStore();
        using (var catalog = WorkspaceCatalogs.Open(store))
        {
            catalog.Add(Record("zeta"));
            catalog.Add(Record("alpha"));
        }

        using var reopened = WorkspaceCatalogs.Open(store);
        var list = reopened.List();
        Assert.Equal(["alpha", "zeta"], list.Select(w => w.Name));
        Assert.Equal([1, 2, 3], list[0].WriteKeyHash);
        Assert.Equal([4, 5, 6], list[0].ReadKeyHash);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), list[0].Created);
    }

    [StoreFact]
    public void AnAdminKeyHashIsStoredWithTheWorkspaceAndCanBeReplaced()
    {
        var store = NewStore();
        using (var catalog = WorkspaceCatalogs.Open(store))
        {
            catalog.Add(Record("without"));
            catalog.Add(Record("with") with { AdminKeyHash = [7, 8, 9] });
            Assert.True(catalog.SetAdminKey("without", [9, 9]));
            Assert.False(catalog.SetAdminKey("nobody", [1]));
        }

        using var reopened = WorkspaceCatalogs.Open(store);
        var list = reopened.List();
        Assert.Equal([7, 8, 9], list.Single(w => w.Name == "with").AdminKeyHash);
        Assert.Equal([9, 9], list.Single(w => w.Name == "without").AdminKeyHash);
    }

    /// <summary>A catalog written before admin keys existed: opened, it gains the column and its workspaces have none.</summary>
    protected static void CheckOldCatalogGainsTheAdminKeyColumn(string store, Action<string> createOldCatalog)
    {
        createOldCatalog(store);

        using var catalog = WorkspaceCatalogs.Open(store);
        var old = Assert.Single(catalog.List());
        Assert.Equal("old", old.Name);
        Assert.Null(old.AdminKeyHash);
        Assert.True(catalog.SetAdminKey("old", [5]));
        Assert.Equal([5], Assert.Single(catalog.List()).AdminKeyHash);
    }

    [StoreFact]
    public void ANameIsTakenOnlyOnce()
    {
        using var catalog = WorkspaceCatalogs.Open(NewStore());
        catalog.Add(Record("acme"));

        Assert.Throws<WorkspaceExistsException>(() => catalog.Add(Record("acme")));
        Assert.Single(catalog.List());
    }

    [StoreFact]
    public void EachWorkspaceHasItsOwnEventsApartFromTheDefaultSchema()
    {
        var store = NewStore();
        using var catalog = WorkspaceCatalogs.Open(store);
        var a = Record("a");
        var b = Record("b");
        catalog.Add(a);
        catalog.Add(b);

        using (var events = catalog.OpenEvents(a))
        {
            using var import = events.BeginImport();
            CsvEventReader.Read(new StringReader(Events), new Forward(import));
            Assert.Equal(new ImportCounts(2, 0), import.Commit());
        }

        using var eventsA = catalog.OpenEvents(a);
        using var eventsB = catalog.OpenEvents(b);
        using var main = StoreFactory.Open(store);
        Assert.Equal(2, eventsA.CountEvents());
        Assert.Equal(0, eventsB.CountEvents());
        Assert.Equal(0, main.CountEvents());
    }

    private sealed class Forward(IStoreImport import) : IEventSink
    {
        public void Accept(in EventRow row) => import.Add(row);

        public void Reject(Core.Text.InputError error) => throw new InvalidOperationException(error.ToString());
    }
}
