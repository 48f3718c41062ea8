namespace OpenAttribution.Core.Options;

/// <summary>Messages of argument errors as a user should read them.</summary>
public static class ArgumentMessages
{
    /// <summary>
    /// The message without the " (Parameter 'x')" suffix: the user named options and fields, not
    /// parameters.
    /// </summary>
    public static string MessageWithoutParameter(this ArgumentException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);
    }
}
