using System.Text;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;
using Spectre.Console;

namespace OpenAttribution.Cli.Input;

/// <summary>Loads an event file (CSV or JSON Lines, by extension) into memory, streaming, with a progress bar.</summary>
internal static class EventFileLoader
{
    public sealed record Loaded(EventTable Events, ReadSummary Summary, long Duplicates);

    public static bool IsJsonLines(string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        return ext is ".jsonl" or ".ndjson" or ".json";
    }

    public static Loaded Load(CliContext context, string path, ChannelGrouping grouping)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"--events '{path}': file not found");
        }

        var builder = new EventTableBuilder(grouping, error => context.Error.WriteLine($"{Path.GetFileName(path)}: {error}"));
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        ReadSummary summary;
        try
        {
            summary = WithProgress(context, $"Reading {Path.GetFileName(path)}", stream, () => Read(path, stream, reader, builder));
        }
        catch (FormatException ex)
        {
            throw new CliException($"{path}: {ex.Message}");
        }

        context.Error.WriteLine(
            $"{Path.GetFileName(path)}: {summary.Rows:N0} rows: {builder.Accepted:N0} accepted, {builder.Duplicates:N0} duplicates, {summary.Rejected:N0} rejected");
        return new Loaded(builder.Build(), summary, builder.Duplicates);
    }

    /// <summary>Reads an event file by its extension: .parquet, .jsonl/.ndjson/.json, else CSV.</summary>
    public static ReadSummary Read(string path, Stream stream, TextReader reader, IEventSink sink)
    {
        if (Path.GetExtension(path).Equals(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            return ParquetEventReader.Read(stream, sink);
        }

        return IsJsonLines(path) ? JsonLinesEventReader.Read(reader, sink) : CsvEventReader.Read(reader, sink);
    }

    /// <summary>Runs <paramref name="work"/> while a progress bar follows the stream's position.</summary>
    public static T WithProgress<T>(CliContext context, string label, Stream stream, Func<T> work)
    {
        if (!context.Interactive || !stream.CanSeek || stream.Length < (8 << 20))
        {
            return work();
        }

        T result = default!;
        context.ErrorConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(label, maxValue: stream.Length);
                var worker = Task.Run(work);
                while (!worker.Wait(100))
                {
                    task.Value = stream.Position;
                    ctx.Refresh();
                }

                task.Value = stream.Length;
                result = worker.GetAwaiter().GetResult();
            });
        return result;
    }
}
