using System.Globalization;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Costs;

/// <summary>
/// Reads cost CSV: <c>date,channel,campaign,cost,currency</c> (header required; campaign and currency
/// optional). Every bad row is reported with line, field and value; good rows are kept.
/// </summary>
public static class CostReader
{
    public const string DefaultCurrency = "USD";

    public static (IReadOnlyList<CostRow> Rows, IReadOnlyList<InputError> Errors) Read(TextReader text)
    {
        var csv = new CsvRecordReader(text);
        var rows = new List<CostRow>();
        var errors = new List<InputError>();
        if (!csv.Read())
        {
            return (rows, errors);
        }

        var columns = Enumerable.Range(0, csv.FieldCount).Select(i => csv[i].Trim().ToString().ToLowerInvariant()).ToList();
        int Column(string name) => columns.IndexOf(name);
        var (iDate, iChannel, iCampaign, iCost, iCurrency) = (Column("date"), Column("channel"), Column("campaign"), Column("cost"), Column("currency"));
        var missing = new[] { ("date", iDate), ("channel", iChannel), ("cost", iCost) }.Where(c => c.Item2 < 0).Select(c => c.Item1).ToList();
        if (missing.Count > 0)
        {
            throw new FormatException($"line 1: the cost header '{csv.RawLine}' lacks the column(s) {string.Join(", ", missing)}; expected date,channel,campaign,cost,currency");
        }

        csv.ExpectedFieldCount = columns.Count;
        while (csv.Read())
        {
            if (csv.Problem is { } problem)
            {
                errors.Add(problem.ToError(csv.Line, csv.RawLine, columns));
                continue;
            }

            string Field(int i) => i >= 0 && i < csv.FieldCount ? csv[i].Trim().ToString() : string.Empty;
            var ok = true;
            var dateText = Field(iDate);
            if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                errors.Add(new InputError(csv.Line, "date", dateText, "not a date (yyyy-MM-dd)"));
                ok = false;
            }

            var channel = Field(iChannel);
            if (channel.Length == 0)
            {
                errors.Add(new InputError(csv.Line, "channel", string.Empty, "missing (required)"));
                ok = false;
            }

            var costText = Field(iCost);
            if (!double.TryParse(costText, NumberStyles.Float, CultureInfo.InvariantCulture, out var cost) || !double.IsFinite(cost) || cost < 0)
            {
                errors.Add(new InputError(csv.Line, "cost", costText, "not a non-negative decimal number (invariant culture)"));
                ok = false;
            }

            if (ok)
            {
                var campaign = Field(iCampaign);
                var currency = Field(iCurrency);
                rows.Add(new CostRow(date, channel, campaign.Length == 0 ? null : campaign, cost, currency.Length == 0 ? DefaultCurrency : currency.ToUpperInvariant()));
            }
        }

        return (rows, errors);
    }
}
