import CZ3
import Foundation

/// Enforces a query's time limit with `Z3_interrupt` from a thread of its own, instead of Z3's
/// `timeout` parameter.
///
/// Why: Z3 4.8's `scoped_timer` (its pool of timer threads) can miss deadlines or deadlock when
/// several contexts run timed queries at once — seen here as a 1 ms query running for 15 minutes
/// beside a bounded-model-checking query. A Dispatch timer is no better: when every worker thread
/// of the global queues is inside a long Z3 query, the timer's block never gets a thread. So each
/// timed query gets a dedicated watcher thread. The watcher interrupts only while the query is
/// still running (one lock covers "still running" and the interrupt), so a late watcher can never
/// touch a finished query, the next query, or a freed context; and it repeats the interrupt until
/// the query returns, since Z3 forgets one that arrives before the query has started.
final class Watchdog: @unchecked Sendable {
    private let condition = NSCondition()
    /// The context being watched; nil once the query has returned. Guarded by `condition`.
    private var context: Z3_context?
    /// Whether the watcher interrupted the query. Guarded by `condition`.
    private var fired = false

    private init(_ context: Z3_context) { self.context = context }

    /// Runs `query` on `context`, interrupting it after `seconds` if it has not returned by then.
    /// Returns the query's result and whether the time limit interrupted it.
    static func run<R>(on context: Z3_context, seconds: Double, _ query: () -> R) -> (R, timedOut: Bool) {
        let dog = Watchdog(context)
        let deadline = Date(timeIntervalSinceNow: min(max(seconds, 0), 1e9))
        let watcher = Thread { dog.watch(until: deadline) }
        watcher.stackSize = 64 * 1024
        watcher.start()
        let result = query()
        dog.condition.lock()
        dog.context = nil
        let fired = dog.fired
        dog.condition.signal()
        dog.condition.unlock()
        return (result, fired)
    }

    private func watch(until deadline: Date) {
        condition.lock()
        defer { condition.unlock() }
        var next = deadline
        var pause = 0.005
        while let ctx = context {
            if !condition.wait(until: next) {
                // An interrupt that lands before Z3 has registered the query is forgotten when
                // the query starts, so keep interrupting until the query returns.
                fired = true
                Z3_interrupt(ctx)
                next = Date(timeIntervalSinceNow: pause)
                pause = min(pause * 2, 0.2)
            }
        }
    }
}
