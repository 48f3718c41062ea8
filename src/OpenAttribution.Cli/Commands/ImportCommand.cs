using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using OpenAttribution.Cli.Input;
using OpenAttribution.Cli.Output;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Text;
using OpenAttribution.Stores;
using Spectre.Console;

namespace OpenAttribution.Cli.Commands;

/// <summary><c>attribution import --store STORE FILE...</c>: each file is one atomic import.</summary>
internal static class ImportCommand
{
    internal sealed record FileResult(string File, long Rows, long Stored, long Duplicates, IReadOnlyList<InputError> Rejected);

    public static Command Create(CliContext context)
    {
        var store = new Option<string>("--store") { Description = "Event store: a DuckDB file (created when missing) or postgresql://user:pass@host:port/db", Required = true };
        var rejects = new Option<string?>("--rejects") { Description = "Also write every rejected row (line, field, value, reason) to this CSV file" };
        var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        var files = new Argument<string[]>("FILE") { Description = "CSV, JSON Lines (.jsonl) or Parquet (.parquet) files", Arity = ArgumentArity.OneOrMore };
        var command = new Command("import", "Import event files into a store: streaming, atomic per file, duplicates (same event_id) dropped");
        command.Options.Add(store);
        command.Options.Add(rejects);
        command.Options.Add(format);
        command.Arguments.Add(files);
        command.SetAction(result =>
        {
            var json = (result.GetValue(format) ?? "table").ToLowerInvariant() switch
            {
                "table" => false,
                "json" => true,
                var other => throw new CliException($"--format '{other}': use table or json"),
            };
            var paths = result.GetValue(files)!;
            foreach (var missing in paths.Where(p => !File.Exists(p)))
            {
                throw new CliException($"FILE '{missing}': file not found");
            }

            using var events = StoreAccess.Open(result.GetValue(store)!);
            using var rejectWriter = result.GetValue(rejects) is { } rejectFile ? new StreamWriter(rejectFile) : null;
            rejectWriter?.WriteLine("file,line,field,value,reason");
            var results = paths.Select(p => ImportFile(context, events, p, rejectWriter)).ToList();
            if (events is IResolvedEventSource resolved)
            {
                // The work of the next report's snapshot, done here: incremental when the store already
                // had one, a full build (with its progress) after a bulk import into a new store.
                try
                {
                    StoreAccess.BuildSnapshot(context, events.Description, resolved);
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidDataException)
                {
                    throw new CliException($"{events.Description}: the events are stored, but the snapshot could not be brought up to date (the next report tries again): {ex.Message}");
                }
            }

            Write(context, results, json);
            return results.Any(r => r.Stored + r.Duplicates > 0) ? 0 : 1;
        });
        return command;
    }

    /// <summary>Imports one file as one atomic import, reporting its rejected rows; the demo uses it too.</summary>
    internal static FileResult ImportFile(CliContext context, IEventStore store, string path, StreamWriter? rejects)
    {
        var name = Path.GetFileName(path);
        var rejected = new List<InputError>();
        using var import = store.BeginImport();
        var sink = new ImportSink(import, error =>
        {
            rejected.Add(error);
            context.Error.WriteLine($"{name}: {error}");
            if (rejects is not null)
            {
                Csv.Row(rejects, path, error.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Field, error.Value, error.Reason);
            }
        });
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        ReadSummary summary;
        try
        {
            summary = EventFileLoader.WithProgress(context, $"Importing {name}", stream, () => EventFileLoader.Read(path, stream, reader, sink));
        }
        catch (FormatException ex)
        {
            throw new CliException($"{path}: {ex.Message}");
        }

        ImportCounts counts;
        try
        {
            counts = import.Commit();
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException or IOException)
        {
            throw new CliException($"{path}: {ex.Message}");
        }

        context.Error.WriteLine($"{name}: {summary.Rows:N0} rows: {counts.Stored:N0} stored, {counts.Duplicates:N0} duplicates, {summary.Rejected:N0} rejected");
        return new FileResult(path, summary.Rows, counts.Stored, counts.Duplicates, rejected);
    }

    private static void Write(CliContext context, IReadOnlyList<FileResult> results, bool json)
    {
        if (json)
        {
            JsonOut.Write(context.Out, new JsonObject
            {
                ["accepted"] = results.Sum(r => r.Stored),
                ["duplicates"] = results.Sum(r => r.Duplicates),
                ["rejected"] = results.Sum(r => r.Rows - r.Stored - r.Duplicates),
                ["files"] = new JsonArray(results.Select(r => (JsonNode?)new JsonObject
                {
                    ["file"] = r.File,
                    ["rows"] = r.Rows,
                    ["accepted"] = r.Stored,
                    ["duplicates"] = r.Duplicates,
                    ["rejected"] = new JsonArray(r.Rejected.Select(e => (JsonNode?)new JsonObject
                    {
                        ["line"] = e.Line,
                        ["field"] = e.Field,
                        ["value"] = e.Value,
                        ["error"] = e.Reason,
                    }).ToArray()),
                }).ToArray()),
            });
            return;
        }

        var table = new Table().Title("Import");
        table.AddColumn("file").AddColumn(new TableColumn("rows").RightAligned()).AddColumn(new TableColumn("accepted").RightAligned())
            .AddColumn(new TableColumn("duplicates").RightAligned()).AddColumn(new TableColumn("rejected").RightAligned());
        foreach (var r in results)
        {
            table.AddRow(Markup.Escape(r.File), $"{r.Rows:N0}", $"{r.Stored:N0}", $"{r.Duplicates:N0}", $"{r.Rows - r.Stored - r.Duplicates:N0}");
        }

        context.Console.Write(table);
    }

    /// <summary>Valid rows go to the import; rejected ones to the callback.</summary>
    private sealed class ImportSink(IStoreImport import, Action<InputError> onReject) : IEventSink
    {
        public void Accept(in EventRow row) => import.Add(row);

        public void Reject(InputError error) => onReject(error);
    }
}
