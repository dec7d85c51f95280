import ICCore
import Synchronization

/// The canisters whose executions read the absolute clock (`Execution.now`, or setting the
/// global timer) while `recording(_:)` runs its body on this thread: how partial-order
/// reduction tells, state by state, whether a canister's steps may depend on `now` (a step that
/// does not read it commutes with a tick, `PartialOrderReduction.isClockFree`). Per expansion,
/// so the answer does not depend on the order in which workers visit states.
public final class ClockReadProbe: Sendable {
    @TaskLocal static var current: ClockReadProbe?
    private let readers = Mutex<Set<CanisterId>>([])

    private init() {}

    /// Runs `body` and returns the canisters whose executions in it read the clock.
    public static func recording(_ body: () -> Void) -> Set<CanisterId> {
        let probe = ClockReadProbe()
        $current.withValue(probe) { body() }
        return probe.readers.withLock { $0 }
    }

    func record(_ reader: CanisterId) {
        readers.withLock { _ = $0.insert(reader) }
    }
}
