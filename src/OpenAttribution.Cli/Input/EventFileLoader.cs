using System.Text;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Text;
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

        void Report(InputError error) => context.Error.WriteLine($"{Path.GetFileName(path)}: {error}");
        if (!Path.GetExtension(path).Equals(".parquet", StringComparison.OrdinalIgnoreCase) && IsRegularFile(path))
        {
            return LoadText(context, path, grouping, Report);
        }

        var builder = new EventTableBuilder(grouping, Report);
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

    /// <summary>A CSV or JSON Lines file, read on every core (<see cref="ParallelEventReader"/>); the bar follows both its passes, the line count and the read.</summary>
    private static Loaded LoadText(CliContext context, string path, ChannelGrouping grouping, Action<InputError> report)
    {
        var length = new FileInfo(path).Length;
        long done = 0;
        Stream Open(long offset)
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan) { Position = offset };
            return new ProgressStream(file, n => Interlocked.Add(ref done, n));
        }

        ParallelEventReader.Result read;
        try
        {
            read = WithProgress(context, $"Reading {Path.GetFileName(path)}", 2 * length, () => Math.Min(2 * length, Interlocked.Read(ref done)),
                () => ParallelEventReader.Read(length, Open, IsJsonLines(path), grouping, report));
        }
        catch (FormatException ex)
        {
            throw new CliException($"{path}: {ex.Message}");
        }

        context.Error.WriteLine(
            $"{Path.GetFileName(path)}: {read.Summary.Rows:N0} rows: {read.Events.Count:N0} accepted, {read.Duplicates:N0} duplicates, {read.Summary.Rejected:N0} rejected");
        return new Loaded(read.Events, read.Summary, read.Duplicates);
    }

    /// <summary>
    /// True for a file that can be read from any offset (its parts read at once): not a pipe,
    /// <c>/dev/stdin</c> or a process substitution, and not a file that reports no size (procfs), which
    /// are read by one reader as they stream.
    /// </summary>
    private static bool IsRegularFile(string path)
    {
        // Not opened to find out: a pipe opened and closed would lose its writer.
        var info = new FileInfo(path);
        return info.Length > 0 && (info.Attributes & FileAttributes.Device) == 0;
    }

    /// <summary>A read-only stream that reports the bytes read from it.</summary>
    private sealed class ProgressStream(Stream inner, Action<int> read) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            read(n);
            return n;
        }

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
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
    public static T WithProgress<T>(CliContext context, string label, Stream stream, Func<T> work) =>
        stream.CanSeek ? WithProgress(context, label, stream.Length, () => stream.Position, work) : work();

    /// <summary>Runs <paramref name="work"/> while a progress bar follows <paramref name="position"/> up to <paramref name="length"/>.</summary>
    public static T WithProgress<T>(CliContext context, string label, long length, Func<long> position, Func<T> work)
    {
        if (!context.Interactive || length < (8 << 20))
        {
            return work();
        }

        T result = default!;
        context.ErrorConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(label, maxValue: length);
                var worker = Task.Run(work);
                while (!worker.Wait(100))
                {
                    task.Value = position();
                    ctx.Refresh();
                }

                task.Value = length;
                result = worker.GetAwaiter().GetResult();
            });
        return result;
    }
}
