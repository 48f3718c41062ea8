namespace OpenAttribution.Core.Channels;

/// <summary>
/// The built-in site categories used by the default rules (and available to user rules):
/// <c>search</c>, <c>social</c>, <c>shopping</c> and <c>video</c>. See <see cref="SiteList"/> for the
/// entry syntax. A rule file's <c>categories</c> section adds entries to these or defines new ones.
/// </summary>
internal static class BuiltInSiteLists
{
    public const string SearchName = "search";
    public const string SocialName = "social";
    public const string ShoppingName = "shopping";
    public const string VideoName = "video";

    private static readonly string[] SearchEntries =
    [
        "google", "bing", "yahoo", "duckduckgo", "baidu", "yandex", "ya.ru", "ecosia", "naver", "ask", "aol",
        "seznam", "qwant", "startpage", "ixquick", "search.brave.com", "brave search", "sogou", "so.com", "360.cn",
        "sm.cn", "daum", "search.daum.net", "nate", "search.nate.com", "mojeek", "kagi", "metager", "swisscows",
        "you.com", "petalsearch", "lycos", "dogpile", "excite", "webcrawler", "info.com", "search.msn.com",
        "coccoc", "rambler", "najdi.si", "search.avg.com", "search.aol.com", "search.yahoo.com",
        "lens.google.com", "news.google.com", "yandex.ru", "go.mail.ru", "search.naver.com",
        "!mail.google.com", "!docs.google.com", "!drive.google.com", "!accounts.google.com", "!sites.google.com",
        "!calendar.google.com", "!groups.google.com", "!meet.google.com", "!chat.google.com", "!mail.yahoo.com",
        "!mail.aol.com", "!mail.yandex.ru", "!mail.yandex.com", "!ask.fm",
    ];

    private static readonly string[] SocialEntries =
    [
        "facebook", "fb", "fb.me", "fb.com", "m.me", "messenger", "instagram", "ig", "linkedin", "lnkd.in",
        "twitter", "t.co", "x.com", "x", "pinterest", "pin.it", "reddit", "redd.it", "tiktok", "snapchat",
        "tumblr", "quora", "vk", "vk.com", "ok.ru", "odnoklassniki", "weibo", "wechat", "whatsapp", "wa.me",
        "telegram", "t.me", "discord", "discord.gg", "threads.net", "threads.com", "mastodon", "mastodon.social",
        "bsky.app", "bluesky", "line.me", "kakao", "kakaotalk", "xing", "meetup", "medium.com", "nextdoor",
        "producthunt", "news.ycombinator.com", "hacker news", "stackoverflow", "stackexchange", "flickr",
        "deviantart", "behance", "dribbble", "goodreads", "tripadvisor", "yelp", "ask.fm", "linktr.ee",
        "slack", "workplace.com", "blog.naver.com", "cafe.naver.com", "douban", "zhihu", "plurk", "skyrock",
        "badoo", "tinder", "vero", "mix.com", "digg", "slashdot",
    ];

    private static readonly string[] ShoppingEntries =
    [
        "amazon", "ebay", "etsy", "shopify", "walmart", "aliexpress", "alibaba", "target.com", "bestbuy",
        "mercadolibre", "mercadolivre", "rakuten", "zalando", "otto.de", "wayfair", "ikea", "temu", "shein",
        "wish.com", "flipkart", "jd.com", "taobao", "tmall", "costco", "homedepot", "lowes", "macys", "asos",
        "allegro", "bol.com", "coupang", "shopping.google.com", "igshopping", "idealo", "pricerunner", "kelkoo",
        "shopzilla", "shopping.yahoo.com", "newegg", "overstock", "groupon", "poshmark", "mercari", "depop",
        "vinted", "wildberries", "ozon.ru", "trendyol", "lazada", "shopee", "tokopedia", "cdiscount", "fnac",
        "argos", "tesco", "chewy", "zappos", "nordstrom", "kohls", "sephora", "ulta",
    ];

    private static readonly string[] VideoEntries =
    [
        "youtube", "youtu.be", "youtube-nocookie", "vimeo", "twitch", "dailymotion", "dai.ly", "wistia",
        "vidyard", "netflix", "hulu", "disneyplus", "primevideo", "rumble", "bilibili", "b23.tv", "iqiyi",
        "youku", "nicovideo", "niconico", "veoh", "metacafe", "vevo", "crackle", "tubitv", "ted.com", "loom",
        "brightcove", "kick.com", "odysee", "bitchute", "peertube", "jwplayer", "vk.video", "rutube",
        "sproutvideo", "vidio", "coub",
    ];

    public static SiteList Search { get; } = new(SearchName, SearchEntries);

    public static SiteList Social { get; } = new(SocialName, SocialEntries);

    public static SiteList Shopping { get; } = new(ShoppingName, ShoppingEntries);

    public static SiteList Video { get; } = new(VideoName, VideoEntries);

    /// <summary>A fresh name -> list table holding the built-in categories.</summary>
    public static Dictionary<string, SiteList> CreateTable() => new(StringComparer.OrdinalIgnoreCase)
    {
        [SearchName] = Search,
        [SocialName] = Social,
        [ShoppingName] = Shopping,
        [VideoName] = Video,
    };
}
