using System.Data.Common;

namespace OpenAttribution.Stores.ClickHouse;

/// <summary>
/// A ClickHouse server refused a statement or could not be reached. The message names the shard
/// (number and address) it came from, so a report over a cluster with a stopped shard says which.
/// </summary>
public sealed class ClickHouseException : DbException
{
    public ClickHouseException(string message)
        : base(message)
    {
    }

    public ClickHouseException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
