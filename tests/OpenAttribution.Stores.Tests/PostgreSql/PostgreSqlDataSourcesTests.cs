using OpenAttribution.Stores.PostgreSql;

namespace OpenAttribution.Stores.Tests.PostgreSql;

/// <summary>The shared data sources: one per connection string, disposed when the last user lets go (no server needed: nothing connects).</summary>
public sealed class PostgreSqlDataSourcesTests
{
    [Fact]
    public void OneConnectionStringGetsOneDataSourceUntilItsLastUserReleasesIt()
    {
        var connectionString = $"Host=127.0.0.1;Port=1;Database=db_{Guid.NewGuid():N};Username=u";
        var other = connectionString + ";Application Name=other";

        var a = PostgreSqlDataSources.Acquire(connectionString);
        var b = PostgreSqlDataSources.Acquire(connectionString);
        var c = PostgreSqlDataSources.Acquire(other);

        Assert.Same(a, b);
        Assert.NotSame(a, c);
        Assert.Equal(2, PostgreSqlDataSources.Users(connectionString));
        PostgreSqlDataSources.Release(a);
        Assert.Equal(1, PostgreSqlDataSources.Users(connectionString));
        PostgreSqlDataSources.Release(b);
        Assert.Equal(0, PostgreSqlDataSources.Users(connectionString));
        var again = PostgreSqlDataSources.Acquire(connectionString);
        Assert.NotSame(a, again);
        PostgreSqlDataSources.Release(again);
        PostgreSqlDataSources.Release(c);
    }
}
