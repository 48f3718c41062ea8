using System.Collections.Concurrent;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Stores;

/// <summary>
/// Runs an import on two threads: the caller parses and validates rows and copies them into batches
/// (one flat char buffer per batch, no string per field); a worker replays the batches into the
/// store's import. Parsing and loading then overlap on the two cores. Errors of the worker surface
/// on the next <see cref="Add"/> or on <see cref="Commit"/>.
/// </summary>
public sealed class PipelinedImport : IStoreImport
{
    private const int BatchRows = 8192;
    private const int Fields = 12;

    private readonly IStoreImport _inner;
    private readonly BlockingCollection<Batch> _full = new(boundedCapacity: 4);
    private readonly ConcurrentBag<Batch> _free = [];
    private readonly Task _worker;
    private Batch _current = new();
    private bool _completed;

    public PipelinedImport(IStoreImport inner)
    {
        _inner = inner;
        _worker = Task.Factory.StartNew(Drain, TaskCreationOptions.LongRunning);
    }

    public void Add(in EventRow row)
    {
        if (_worker.IsFaulted)
        {
            _worker.GetAwaiter().GetResult();
        }

        _current.Add(row);
        if (_current.Count == BatchRows)
        {
            Hand(_current);
            _current = _free.TryTake(out var batch) ? batch : new Batch();
        }
    }

    public ImportCounts Commit()
    {
        Complete();
        _worker.GetAwaiter().GetResult();
        return _inner.Commit();
    }

    public void Dispose()
    {
        Complete();
        try
        {
            _worker.Wait();
        }
        catch (AggregateException)
        {
            // The worker's error was (or would have been) reported by Add or Commit; disposing rolls back.
        }

        _inner.Dispose();
        _full.Dispose();
    }

    private void Complete()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (_current.Count > 0)
        {
            Hand(_current);
        }

        _full.CompleteAdding();
    }

    /// <summary>Queues a full batch; if the worker died, throws its error instead.</summary>
    private void Hand(Batch batch)
    {
        try
        {
            _full.Add(batch);
        }
        catch (InvalidOperationException)
        {
            // Adding was completed by a failing worker: report why it failed.
            _worker.ContinueWith(_ => { }, TaskScheduler.Default).Wait();
            _worker.GetAwaiter().GetResult();
            throw;
        }
    }

    private void Drain()
    {
        try
        {
            foreach (var batch in _full.GetConsumingEnumerable())
            {
                for (var r = 0; r < batch.Count; r++)
                {
                    _inner.Add(batch.Row(r));
                }

                batch.Clear();
                _free.Add(batch);
            }
        }
        catch
        {
            // Unblock the producer: nothing more will be consumed.
            _full.CompleteAdding();
            throw;
        }
    }

    /// <summary>Rows of a batch: their text fields back to back in one buffer.</summary>
    private sealed class Batch
    {
        private readonly long[] _lines = new long[BatchRows];
        private readonly long[] _ticks = new long[BatchRows];
        private readonly EventType[] _types = new EventType[BatchRows];
        private readonly double[] _values = new double[BatchRows];
        private readonly int[] _bounds = new int[BatchRows * (Fields + 1)];
        private char[] _text = new char[BatchRows * 64];
        private int _used;

        public int Count { get; private set; }

        public void Add(in EventRow row)
        {
            var r = Count++;
            _lines[r] = row.Line;
            _ticks[r] = row.TimestampTicks;
            _types[r] = row.Type;
            _values[r] = row.Value;
            var b = r * (Fields + 1);
            _bounds[b] = _used;
            Append(row.EventId, b + 1);
            Append(row.UserId, b + 2);
            Append(row.AnonymousId, b + 3);
            Append(row.Channel, b + 4);
            Append(row.Source, b + 5);
            Append(row.Medium, b + 6);
            Append(row.Campaign, b + 7);
            Append(row.Content, b + 8);
            Append(row.Term, b + 9);
            Append(row.Referrer, b + 10);
            Append(row.Url, b + 11);
            Append(row.Conversion, b + 12);
        }

        public EventRow Row(int r)
        {
            var b = r * (Fields + 1);
            return new EventRow
            {
                Line = _lines[r],
                TimestampTicks = _ticks[r],
                Type = _types[r],
                Value = _values[r],
                EventId = Field(b, 1),
                UserId = Field(b, 2),
                AnonymousId = Field(b, 3),
                Channel = Field(b, 4),
                Source = Field(b, 5),
                Medium = Field(b, 6),
                Campaign = Field(b, 7),
                Content = Field(b, 8),
                Term = Field(b, 9),
                Referrer = Field(b, 10),
                Url = Field(b, 11),
                Conversion = Field(b, 12),
            };
        }

        public void Clear()
        {
            Count = 0;
            _used = 0;
        }

        private ReadOnlySpan<char> Field(int b, int f) => _text.AsSpan(_bounds[b + f - 1], _bounds[b + f] - _bounds[b + f - 1]);

        private void Append(ReadOnlySpan<char> field, int end)
        {
            if (_used + field.Length > _text.Length)
            {
                Array.Resize(ref _text, Math.Max(_text.Length * 2, _used + field.Length));
            }

            field.CopyTo(_text.AsSpan(_used));
            _used += field.Length;
            _bounds[end] = _used;
        }
    }
}
