using YamlDotNet.RepresentationModel;

namespace OpenAttribution.Core.Text;

/// <summary>The root mapping of a YAML (or JSON) document, for the readers of user-written files.</summary>
internal static class YamlRoot
{
    /// <summary>
    /// Parses <paramref name="text"/>; throws <see cref="FormatException"/> with <paramref name="notAMapping"/>
    /// when its root is not a mapping, or with <paramref name="invalid"/>'s message when it is not YAML.
    /// </summary>
    public static YamlMappingNode Load(string text, string notAMapping, Func<YamlDotNet.Core.YamlException, string> invalid)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode m
                ? m
                : throw new FormatException(notAMapping);
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new FormatException(invalid(ex), ex);
        }
    }
}
