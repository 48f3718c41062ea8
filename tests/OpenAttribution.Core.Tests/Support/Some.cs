using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;

namespace OpenAttribution.Core.Tests.Support;

/// <summary>Builders for test data: events written as CSV rows, loaded as the CLI would.</summary>
internal static class Some
{
    public const string Header = "event_id,timestamp,user_id,anonymous_id,type,channel,source,medium,campaign,content,term,referrer,url,conversion,value";

    public static EventTableBuilder Load(string csvBody, bool header = true)
    {
        var builder = new EventTableBuilder();
        var text = header ? Header + "\n" + csvBody : csvBody;
        CsvEventReader.Read(new StringReader(text), builder);
        return builder;
    }

    public static EventTable Events(params string[] rows) => Load(string.Join("\n", rows)).Build();

    public static JourneySet Journeys(JourneyOptions options, params string[] rows) => JourneyBuilder.Build(Events(rows), options);

    public static JourneySet Journeys(params string[] rows) => Journeys(new JourneyOptions(), rows);

    /// <summary>A touch row: id, time, user, anonymous id, channel.</summary>
    public static string Touch(string time, string? user, string? anon, string channel, string? id = null) =>
        $"{id},{time},{user},{anon},touch,{channel},,,,,,,,,";

    public static string Conversion(string time, string? user, string? anon, double value = 0, string name = "purchase", string? id = null) =>
        $"{id},{time},{user},{anon},conversion,,,,,,,,,{name},{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public static string Identify(string time, string user, string anon) => $",{time},{user},{anon},identify,,,,,,,,,,";

    /// <summary>The channel names of conversion <paramref name="j"/>'s path.</summary>
    public static string[] Path(this JourneySet set, int j) =>
        Enumerable.Range(set.Start[j], set.Length[j]).Select(t => set.Names.Channels[set.TouchChannels[t]]).ToArray();

    public static string[] NullPath(this JourneySet set, int n) =>
        Enumerable.Range(set.NullStart[n], set.NullLength[n]).Select(t => set.Names.Channels[set.TouchChannels[t]]).ToArray();
}
