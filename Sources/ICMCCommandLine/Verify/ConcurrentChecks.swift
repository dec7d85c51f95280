import Foundation
import ICSpec
import ModelChecking
import Synchronization

/// Checks many specs at once, one search per thread, with the results in the specs' order.
///
/// Why: `icmc verify` checks about a hundred specs, most of them small. One search on two
/// worker threads gains little on the IC model (the threads reference-count the same states'
/// parts; the README's speed section), while two searches of different specs share nothing and
/// each runs at full speed. A search's counts, verdict and trace do not depend on its worker
/// count, so the results are those of the specs checked one after another.
struct ConcurrentChecks {
    let specs: [Spec]
    /// Searches at once (each on one worker thread).
    let threads: Int

    /// Runs `check` on every spec, `threads` at a time, in catalogue order of starting; `started`
    /// reports each spec as it starts (from the thread that checks it). A spec not started
    /// because `isCancelled` became true gets no outcome (`nil`).
    func run<Outcome: Sendable>(
        isCancelled: @escaping @Sendable () -> Bool, started: @escaping @Sendable (_ index: Int, _ spec: Spec) -> Void,
        _ check: @escaping @Sendable (Spec) -> Outcome
    ) -> [Outcome?] {
        let next = Atomic<Int>(0)
        let results = Mutex<[Outcome?]>(Array(repeating: nil, count: specs.count))
        let specs = self.specs
        @Sendable func work(_: Int) {
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < specs.count, !isCancelled() else { return }
                started(index, specs[index])
                let outcome = check(specs[index])
                results.withLock { $0[index] = outcome }
            }
        }
        let count = max(1, min(threads, specs.count))
        if count == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: count) { work($0) }
        }
        return results.withLock { $0 }
    }
}
