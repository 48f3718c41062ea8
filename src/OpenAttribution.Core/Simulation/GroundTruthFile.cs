using System.Globalization;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Simulation;

/// <summary>
/// The truth file: CSV <c>channel,incremental_conversions,true_share</c>, one row per channel, then
/// <c>(none)</c> (the baseline) and <c>(overdetermined)</c> (conversions no single channel was needed
/// for; no share). The incremental column sums to the simulated conversions.
/// </summary>
public static class GroundTruthFile
{
    public const string Header = "channel,incremental_conversions,true_share";
    public const string OverdeterminedKey = "(overdetermined)";

    public static void Write(TextWriter writer, GroundTruth truth)
    {
        writer.WriteLine(Header);
        foreach (var row in truth.Rows())
        {
            writer.WriteLine(string.Join(',', CsvField.Quote(row.Channel), Number(row.Incremental), truth.Share(row.Incremental).ToString("R", CultureInfo.InvariantCulture)));
        }

        writer.WriteLine(string.Join(',', OverdeterminedKey, Number(truth.Overdetermined), string.Empty));
        writer.Flush();
    }

    /// <summary>Reads a truth file; throws <see cref="FormatException"/> listing every bad line with its field and value.</summary>
    public static GroundTruth Read(TextReader reader)
    {
        var csv = new CsvRecordReader(reader);
        if (!csv.Read())
        {
            throw new FormatException($"The truth file is empty: expected the header '{Header}'.");
        }

        var columns = Enumerable.Range(0, csv.FieldCount).Select(i => csv[i].ToString().Trim().ToLowerInvariant()).ToList();
        var iChannel = columns.IndexOf("channel");
        var iIncremental = columns.IndexOf("incremental_conversions");
        if (iChannel < 0 || iIncremental < 0)
        {
            throw new FormatException($"line 1: header '{string.Join(',', columns)}' must name the columns channel and incremental_conversions.");
        }

        var problems = new List<string>();
        var channels = new List<ChannelTruth>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long? baseline = null;
        long overdetermined = 0;
        csv.ExpectedFieldCount = columns.Count;
        while (csv.Read())
        {
            if (csv.Problem is { } problem)
            {
                problems.Add(problem.ToError(csv.Line, csv.RawLine, columns).ToString());
                continue;
            }

            var channel = iChannel < csv.FieldCount ? csv[iChannel].ToString().Trim() : string.Empty;
            var text = iIncremental < csv.FieldCount ? csv[iIncremental].ToString().Trim() : string.Empty;
            if (channel.Length == 0)
            {
                problems.Add($"line {csv.Line}: channel is empty");
                continue;
            }

            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                problems.Add($"line {csv.Line}: incremental_conversions '{text}' of {channel} is not a whole number of 0 or more");
                continue;
            }

            if (!seen.Add(channel))
            {
                problems.Add($"line {csv.Line}: channel '{channel}' appears twice");
                continue;
            }

            switch (channel)
            {
                case GroundTruth.BaselineKey:
                    baseline = n;
                    break;
                case OverdeterminedKey:
                    overdetermined = n;
                    break;
                default:
                    channels.Add(new ChannelTruth(channel, n));
                    break;
            }
        }

        if (channels.Count == 0 && problems.Count == 0)
        {
            problems.Add("no channel rows");
        }

        if (problems.Count > 0)
        {
            throw new FormatException(string.Join(Environment.NewLine, problems));
        }

        var b = baseline ?? 0;
        return new GroundTruth(b + overdetermined + channels.Sum(c => c.Incremental), b, channels);
    }

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
