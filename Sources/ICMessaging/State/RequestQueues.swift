import ICCore
import ModelChecking

/// A state's per-pair request queues (`ICState.queues`): `count` queues indexed as
/// `ICState.queueIndex` lays them out, of which only the non-empty ones are stored.
///
/// Why sparse: a state has n·n (+ 2n) queues and nearly all are empty. As an array of arrays, a
/// step that changed one queue copied the whole outer array (a retain per queue) and destroying
/// the successor released every queue again, about 4,000 instructions per such successor on P1
/// (35 queues), and most successors are duplicates dropped at once. Here a change copies only
/// the non-empty queues (usually none to three).
///
/// It reads like the array it replaces: any index in `indices` reads its queue (`[]` when
/// empty), iteration yields every queue in index order, and writing `[]` empties a queue. Its
/// fingerprint is the array's, so states keep their fingerprints.
public struct RequestQueues: RandomAccessCollection, Hashable, Sendable, Fingerprintable {
    /// A non-empty queue with its index.
    @usableFromInline
    struct Entry: Hashable, Sendable {
        @usableFromInline let index: Int
        @usableFromInline var requests: [QueuedRequest]

        @inlinable init(index: Int, requests: [QueuedRequest]) {
            self.index = index
            self.requests = requests
        }
    }

    /// The non-empty queues, by increasing index (one layout per value, so `==` compares them).
    @usableFromInline var entries: [Entry]

    public let endIndex: Int
    public var startIndex: Int { 0 }
    public typealias Indices = Range<Int>
    public var indices: Range<Int> { 0..<endIndex }

    /// `count` empty queues.
    @inlinable
    public init(count: Int) {
        entries = []
        endIndex = count
    }

    /// `count` queues, the one at each index being `queue(index)`.
    public init(count: Int, _ queue: (Int) throws -> [QueuedRequest]) rethrows {
        self.init(count: count)
        for index in 0..<count {
            let requests = try queue(index)
            if !requests.isEmpty { entries.append(Entry(index: index, requests: requests)) }
        }
    }

    /// `count` queues, the non-empty ones being `entries` (by increasing index, each in range).
    init(count: Int, sortedEntries: [Entry]) {
        precondition(sortedEntries.last.map { $0.index < count } ?? true, "queue index out of range")
        entries = sortedEntries
        endIndex = count
    }

    /// The queues, with each non-empty one replaced by `transform` of it (empty ones stay empty):
    /// renamings and time shifts rewrite the requests without visiting the empty queues.
    public func map(_ transform: ([QueuedRequest]) throws -> [QueuedRequest]) rethrows -> RequestQueues {
        var mapped = RequestQueues(count: endIndex)
        mapped.entries.reserveCapacity(entries.count)
        for entry in entries {
            let requests = try transform(entry.requests)
            if !requests.isEmpty { mapped.entries.append(Entry(index: entry.index, requests: requests)) }
        }
        return mapped
    }

    /// The position in `entries` of the queue at `index`, or where it would be inserted.
    @inlinable @inline(__always)
    func entryPosition(of index: Int) -> Int {
        var position = 0
        while position < entries.count, entries[position].index < index { position += 1 }
        return position
    }

    /// The non-empty queues whose index is below `end`, by index (the entries are sorted, so
    /// this is a prefix): the queues between canisters end at n·n, those of messages in flight at
    /// `ICState.messageQueueCount`.
    @inlinable
    func entries(below end: Int) -> ArraySlice<Entry> { entries[..<entryPosition(of: end)] }

    /// The queue at `index`, oldest request first. Writing it copies only the non-empty queues.
    @inlinable
    public subscript(index: Int) -> [QueuedRequest] {
        get {
            precondition(index >= 0 && index < endIndex, "queue index out of range")
            let position = entryPosition(of: index)
            return position < entries.count && entries[position].index == index ? entries[position].requests : []
        }
        _modify {
            precondition(index >= 0 && index < endIndex, "queue index out of range")
            let position = entryPosition(of: index)
            if position < entries.count, entries[position].index == index {
                defer { if entries[position].requests.isEmpty { entries.remove(at: position) } }
                yield &entries[position].requests
            } else {
                var requests: [QueuedRequest] = []
                defer { if !requests.isEmpty { entries.insert(Entry(index: index, requests: requests), at: position) } }
                yield &requests
            }
        }
    }

    /// Removes the request at `position` of the queue at `index`. A queue left empty is dropped
    /// at once: removing through the subscript would first copy its shared array into an empty one.
    public mutating func removeRequest(at position: Int, fromQueue index: Int) {
        let entry = entryPosition(of: index)
        precondition(entry < entries.count && entries[entry].index == index, "no request in an empty queue")
        if entries[entry].requests.count == 1 {
            precondition(position == 0, "request position out of range")
            entries.remove(at: entry)
        } else {
            entries[entry].requests.remove(at: position)
        }
    }

    public func makeIterator() -> Iterator { Iterator(entries: entries, endIndex: endIndex) }

    /// Every queue in index order, the empty ones included.
    public struct Iterator: IteratorProtocol {
        @usableFromInline let entries: [Entry]
        @usableFromInline let endIndex: Int
        @usableFromInline var index = 0
        @usableFromInline var position = 0

        @usableFromInline
        init(entries: [Entry], endIndex: Int) {
            self.entries = entries
            self.endIndex = endIndex
        }

        @inlinable
        public mutating func next() -> [QueuedRequest]? {
            guard index < endIndex else { return nil }
            defer { index += 1 }
            guard position < entries.count, entries[position].index == index else { return [] }
            position += 1
            return entries[position - 1].requests
        }
    }

    /// The fingerprint of the equivalent `[[QueuedRequest]]` (count, then each queue's count and
    /// requests), so that states fingerprint as they did with the array.
    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(UInt64(endIndex))
        var index = 0
        for entry in entries {
            while index < entry.index {
                hasher.combine(UInt64(0))
                index += 1
            }
            entry.requests.fingerprint(into: &hasher)
            index += 1
        }
        while index < endIndex {
            hasher.combine(UInt64(0))
            index += 1
        }
    }
}
