using OpenAttribution.Core.Channels;

namespace OpenAttribution.Core.Tests.Channels;

public sealed class SiteListTests
{
    [Theory]
    [InlineData("facebook", true)]
    [InlineData("Facebook", true)]
    [InlineData("facebook.com", true)]
    [InlineData("m.facebook.com", true)]
    [InlineData("l.facebook.com", true)]
    [InlineData("https://lm.facebook.com/l.php?u=x", true)]
    [InlineData("fb", true)]
    [InlineData("t.co", true)]
    [InlineData("x.com", true)]
    [InlineData("lnkd.in", true)]
    [InlineData("www.reddit.com", true)]
    [InlineData("facebook.example.com", false)]
    [InlineData("notfacebook.com", false)]
    [InlineData("youtube", false)]
    [InlineData("", false)]
    public void SocialList(string value, bool expected)
    {
        Assert.Equal(expected, BuiltInSiteLists.Social.Matches(value));
    }

    [Theory]
    [InlineData("google", true)]
    [InlineData("www.google.co.uk", true)]
    [InlineData("google.com.au", true)]
    [InlineData("news.google.com", true)]
    [InlineData("mail.google.com", false)]
    [InlineData("googleadservices.com", false)]
    [InlineData("ask.com", true)]
    [InlineData("ask.fm", false)]
    [InlineData("search.yahoo.com", true)]
    [InlineData("brave search", true)]
    public void SearchList(string value, bool expected)
    {
        Assert.Equal(expected, BuiltInSiteLists.Search.Matches(value));
    }

    [Theory]
    [InlineData("amazon", true)]
    [InlineData("www.amazon.de", true)]
    [InlineData("amazonaws.com", false)]
    [InlineData("IGShopping", true)]
    [InlineData("shopping.google.com", true)]
    public void ShoppingList(string value, bool expected)
    {
        Assert.Equal(expected, BuiltInSiteLists.Shopping.Matches(value));
    }

    [Theory]
    [InlineData("youtube", true)]
    [InlineData("m.youtube.com", true)]
    [InlineData("youtu.be", true)]
    [InlineData("twitch.tv", true)]
    [InlineData("player.vimeo.com", true)]
    [InlineData("vimeo-fan.example", false)]
    public void VideoList(string value, bool expected)
    {
        Assert.Equal(expected, BuiltInSiteLists.Video.Matches(value));
    }

    [Fact]
    public void ListsHaveTensOfEntries()
    {
        Assert.True(BuiltInSiteLists.Search.Entries.Count >= 30);
        Assert.True(BuiltInSiteLists.Social.Entries.Count >= 30);
        Assert.True(BuiltInSiteLists.Shopping.Entries.Count >= 30);
        Assert.True(BuiltInSiteLists.Video.Entries.Count >= 30);
    }
}
