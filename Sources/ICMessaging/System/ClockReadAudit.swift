import Synchronization

/// The first canister seen reading the absolute clock (`Execution.now`, or setting the global
/// timer) during a search whose states keep time only relative to now (relative time). Such a
/// program's behaviour depends on a value the states no longer carry, so the search's verdict
/// is not to be trusted: the runner reports it as an error.
public final class ClockReadAudit: Sendable {
    private let firstReader = Mutex<String?>(nil)

    public init() {}

    func record(_ reader: String) {
        firstReader.withLock { if $0 == nil { $0 = reader } }
    }

    /// The first canister (and program) that read the clock, if any.
    public var clockReader: String? { firstReader.withLock { $0 } }
}
