using OpenAttribution.Core.Events;

namespace OpenAttribution.Core.Identity;

/// <summary>
/// Identity stitching (spec section 2): an event with both ids links the anonymous id to the user;
/// the earliest link (timestamp, then input order) wins; every event of a linked anonymous id
/// belongs to that user, before and after the link; an event with a user id belongs to that user.
/// </summary>
public static class IdentityResolver
{
    /// <summary>
    /// The person of every event: user ids are persons <c>0 .. users - 1</c>, unlinked anonymous
    /// ids follow as <c>users + anonymous id</c>.
    /// </summary>
    public static int[] ResolvePersons(EventTable events, out int personCount)
    {
        var anonCount = events.Names.AnonymousIds.Count;
        var userCount = events.Names.Users.Count;
        var link = LinkAnonymousIds(events);
        var persons = new int[events.Count];
        var users = events.Users;
        var anons = events.Anonymous;
        for (var i = 0; i < persons.Length; i++)
        {
            var u = users[i];
            if (u < 0)
            {
                var a = anons[i];
                u = link[a];
                if (u < 0)
                {
                    u = userCount + a;
                }
            }

            persons[i] = u;
        }

        personCount = userCount + anonCount;
        return persons;
    }

    /// <summary>For each anonymous id, the user it is linked to, or -1.</summary>
    public static int[] LinkAnonymousIds(EventTable events)
    {
        var anonCount = events.Names.AnonymousIds.Count;
        var link = new int[anonCount];
        var linkTime = new long[anonCount];
        Array.Fill(link, -1);
        var users = events.Users;
        var anons = events.Anonymous;
        var times = events.Timestamps;
        for (var i = 0; i < events.Count; i++)
        {
            var a = anons[i];
            var u = users[i];
            if (a < 0 || u < 0)
            {
                continue;
            }

            // Input order breaks ties: a later row with the same timestamp does not replace.
            if (link[a] < 0 || times[i] < linkTime[a])
            {
                link[a] = u;
                linkTime[a] = times[i];
            }
        }

        return link;
    }
}
