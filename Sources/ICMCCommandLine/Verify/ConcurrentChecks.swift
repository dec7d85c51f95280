import Foundation
import ICSpec
import ModelChecking
import Synchronization

/// Checks many specs (or groups of specs) at once, one search per thread, with the results in
/// the items' order.
///
/// Why: `icmc verify` checks about a hundred specs, most of them small. One search on two
/// worker threads gains little on the IC model (the threads reference-count the same states'
/// parts; the README's speed section), while two searches of different specs share nothing and
/// each runs at full speed. A search's counts, verdict and trace do not depend on its worker
/// count, so the results are those of the specs checked one after another.
struct ConcurrentChecks<Item: Sendable> {
    let items: [Item]
    /// Searches at once (each on one worker thread).
    let threads: Int

    /// Runs `check` on every item, `threads` at a time, started in order; `started` reports each
    /// item as it starts (from the thread that checks it). An item not started because
    /// `isCancelled` became true gets no outcome (`nil`).
    func run<Outcome: Sendable>(
        isCancelled: @escaping @Sendable () -> Bool, started: @escaping @Sendable (_ index: Int, _ item: Item) -> Void,
        _ check: @escaping @Sendable (Item) -> Outcome
    ) -> [Outcome?] {
        let next = Atomic<Int>(0)
        let results = Mutex<[Outcome?]>(Array(repeating: nil, count: items.count))
        let items = self.items
        @Sendable func work(_: Int) {
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < items.count, !isCancelled() else { return }
                started(index, items[index])
                let outcome = check(items[index])
                results.withLock { $0[index] = outcome }
            }
        }
        let count = max(1, min(threads, items.count))
        if count == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: count) { work($0) }
        }
        return results.withLock { $0 }
    }
}
