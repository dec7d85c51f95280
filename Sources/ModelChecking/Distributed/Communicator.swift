/// The collective operations a distributed search needs from its transport: MPI under `mpirun`
/// (module `MPICommunicator`), or threads in one process (`ThreadCommunicatorGroup`, for tests).
///
/// Every operation is collective: all ranks call the same operations in the same order, and each
/// call returns once every rank has made it. The engine never needs point-to-point messages, so
/// any transport with these five operations can carry it.
public protocol Communicator: AnyObject, Sendable {
    /// This process's rank, `0..<size`; rank 0 reports.
    var rank: Int { get }
    /// The number of ranks.
    var size: Int { get }

    /// All-to-all: `outgoing[r]` goes to rank `r`; the result holds what every rank sent to this
    /// one, rank by rank.
    func exchange(_ outgoing: [[UInt64]]) -> ExchangedWords

    /// Element-wise reduction of `values` (the same length on every rank) over all ranks.
    func reduce(_ values: [Int64], _ operation: ReduceOperation) -> [Int64]

    /// Every rank's `value`, indexed by rank.
    func allGather(_ value: Int64) -> [Int64]

    /// `values` of rank `root` (the others pass arrays of the same length), on every rank.
    func broadcast(_ values: [Int64], from root: Int) -> [Int64]
}

/// How `Communicator.reduce` combines the ranks' values.
public enum ReduceOperation: Int32, Sendable {
    case sum = 0, minimum = 1, maximum = 2

    @inlinable
    public func combine(_ a: Int64, _ b: Int64) -> Int64 {
        switch self {
        case .sum: a &+ b
        case .minimum: Swift.min(a, b)
        case .maximum: Swift.max(a, b)
        }
    }
}

/// What an all-to-all exchange delivered: the words from rank `r` are
/// `words[offsets[r]..<offsets[r + 1]]`.
public struct ExchangedWords: Sendable {
    public var words: [UInt64]
    public var offsets: [Int]

    @inlinable
    public init(words: [UInt64], offsets: [Int]) {
        self.words = words
        self.offsets = offsets
    }

    /// The words rank `source` sent.
    @inlinable
    public func from(_ source: Int) -> ArraySlice<UInt64> { words[offsets[source]..<offsets[source + 1]] }
}
