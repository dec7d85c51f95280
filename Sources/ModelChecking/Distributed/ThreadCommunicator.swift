import Foundation

/// Ranks as threads of one process: a `Communicator` per rank over shared memory. The engine
/// runs the same code on it as under MPI, so tests check the distributed search's counts and
/// traces without `mpirun`.
///
///     let group = ThreadCommunicatorGroup(size: 4)
///     let results = group.run { communicator in
///         var options = CheckerOptions(workers: 1); options.communicator = communicator
///         return Checker(model, options: options).run()
///     }
public final class ThreadCommunicatorGroup: @unchecked Sendable {
    // @unchecked: `contributions` and the barrier counters are only touched under `condition`.
    public let size: Int
    private let condition = NSCondition()
    private var arrived = 0
    private var generation = 0
    private var contributions: [Any?]

    public init(size: Int) {
        precondition(size >= 1, "a group needs at least one rank")
        self.size = size
        contributions = Array(repeating: nil, count: size)
    }

    /// One communicator per rank, indexed by rank.
    public lazy var communicators: [ThreadCommunicator] = (0..<size).map { ThreadCommunicator(group: self, rank: $0) }

    /// Runs `body` on one thread per rank and returns the results by rank.
    public func run<Result: Sendable>(_ body: @escaping @Sendable (ThreadCommunicator) -> Result) -> [Result] {
        let communicators = self.communicators
        let results = ResultSlots<Result>(count: size)
        let done = DispatchGroup()
        for communicator in communicators {
            done.enter()
            let thread = Thread {
                results.set(communicator.rank, body(communicator))
                done.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        done.wait()
        return results.values
    }

    /// Deposits `value` as rank `rank`'s contribution, waits for every rank's, and returns all of
    /// them (by rank); a second barrier lets the next collective reuse the slots.
    func collect<Value>(_ value: Value, rank: Int) -> [Value] {
        condition.lock()
        contributions[rank] = value
        condition.unlock()
        barrier()
        condition.lock()
        let all = contributions.map { $0 as! Value }
        condition.unlock()
        barrier()
        return all
    }

    private func barrier() {
        condition.lock()
        defer { condition.unlock() }
        let current = generation
        arrived += 1
        if arrived == size {
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            while current == generation { condition.wait() }
        }
    }
}

/// One rank of a `ThreadCommunicatorGroup`.
public final class ThreadCommunicator: Communicator, @unchecked Sendable {
    // @unchecked: immutable after init; the group synchronises the collectives.
    let group: ThreadCommunicatorGroup
    public let rank: Int
    public var size: Int { group.size }

    init(group: ThreadCommunicatorGroup, rank: Int) {
        self.group = group
        self.rank = rank
    }

    public func exchange(_ outgoing: [[UInt64]]) -> ExchangedWords {
        precondition(outgoing.count == size, "exchange: one buffer per rank")
        let all = group.collect(outgoing, rank: rank)
        var words: [UInt64] = []
        var offsets = [0]
        for source in 0..<size {
            words += all[source][rank]
            offsets.append(words.count)
        }
        return ExchangedWords(words: words, offsets: offsets)
    }

    public func reduce(_ values: [Int64], _ operation: ReduceOperation) -> [Int64] {
        let all = group.collect(values, rank: rank)
        return values.indices.map { index in all.dropFirst().reduce(all[0][index]) { operation.combine($0, $1[index]) } }
    }

    public func allGather(_ value: Int64) -> [Int64] { group.collect(value, rank: rank) }

    public func broadcast(_ values: [Int64], from root: Int) -> [Int64] { group.collect(values, rank: rank)[root] }
}

/// Results written by the rank threads, read after they all finished.
private final class ResultSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    var values: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}
