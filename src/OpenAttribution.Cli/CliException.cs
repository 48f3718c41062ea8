namespace OpenAttribution.Cli;

/// <summary>A user error: printed to standard error without a stack trace, exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
