using System.Data.Common;

namespace OpenAttribution.Stores;

/// <summary>Reads <c>date, channel, campaign, cost, currency</c> rows, the same in every backend.</summary>
internal static class CostRowReader
{
    public static IReadOnlyList<CostRow> ReadAll(DbDataReader reader)
    {
        var rows = new List<CostRow>();
        while (reader.Read())
        {
            rows.Add(new CostRow(
                reader.GetFieldValue<DateOnly>(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetDouble(3),
                reader.GetString(4)));
        }

        return rows;
    }
}
