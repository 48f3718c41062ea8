namespace OpenAttribution.Cli.Output;

internal enum OutputFormat
{
    Table,
    Csv,
    Json,
}
