namespace OpenAttribution.Stores.Tests.PostgreSql;

/// <summary>
/// A test that needs the PostgreSQL test server: skipped with the reason when it is not reachable,
/// unless <c>OA_REQUIRE_POSTGRES=1</c>. On a test class deriving from <see cref="EventStoreContract"/>
/// its skip applies to every inherited contract test (see <see cref="StoreFactAttribute"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        Skip = PostgresTestServer.SkipReason;
    }
}
