import Dispatch

/// Builds a `LivenessGraph` breadth-first, expanding batches of states on several threads.
///
/// Expansion (successor generation, fingerprinting, predicate evaluation) is the expensive
/// part and runs in parallel; numbering new states is a cheap sequential merge in queue
/// order. The graph is therefore identical for every worker count: exactly the one a
/// single-threaded FIFO breadth-first search builds.
struct LivenessGraphBuilder<System: TransitionSystem> {
    typealias State = System.State

    let system: System
    /// Predicates evaluated on every state, bit `p` of the graph's predicate sets.
    let predicates: [@Sendable (State) -> Bool]
    /// Fairness class name → class id (`0 ..< count`).
    let classIDs: [String: UInt8]
    /// The fairness class of an action, if the model declares any fairness.
    let classOf: (@Sendable (System.Action) -> String?)?
    let options: LivenessOptions

    /// States expanded per parallel round; independent of the worker count.
    static var batchSize: Int { 2048 }

    struct Successor: Sendable {
        var fingerprint: UInt64
        var classID: UInt8
        var state: State
    }

    /// What expanding one state produced.
    struct Expansion: Sendable {
        var predicateBits: UInt64 = 0
        var outsideBoundary = false
        var successors: [Successor] = []
    }

    func expand(_ state: State) -> Expansion {
        var expansion = Expansion()
        for (bit, predicate) in predicates.enumerated() where predicate(state) {
            expansion.predicateBits |= 1 << UInt64(bit)
        }
        guard system.isWithinBoundary(state) else {
            expansion.outsideBoundary = true
            return expansion
        }
        system.forEachSuccessor(of: state) { action, next in
            var classID = LivenessGraph.noClass
            if let classOf, let name = classOf(action), let id = classIDs[name] { classID = id }
            expansion.successors.append(Successor(fingerprint: next.fingerprint, classID: classID, state: next))
        }
        return expansion
    }

    /// Expands `states` in order, on `options.workers` threads when worthwhile.
    func expandAll(_ states: ArraySlice<State>) -> [Expansion] {
        let workers = min(options.workers, states.count)
        if workers <= 1 { return states.map(expand) }
        let results = ExpansionSlots<Expansion>(count: states.count)
        let base = states.startIndex
        let count = states.count
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var position = worker
            while position < count {
                results.store(expand(states[base + position]), at: position)
                position += workers
            }
        }
        return results.collect()
    }

    func build() throws -> LivenessGraph {
        guard options.workers >= 1 else { throw LivenessError.invalidWorkerCount(options.workers) }
        if predicates.count > 64 { throw LivenessError.tooManyPredicates(predicates.count) }
        var graph = LivenessGraph()
        graph.classCount = classIDs.count
        graph.predicates = predicates.map { _ in LivenessBitSet(count: 0) }
        if !classIDs.isEmpty { graph.edgeClass = [] }
        var table: [UInt64: UInt32] = [:]
        var queue: [State] = []
        var head = 0
        var nextReport = options.progressInterval

        func discover(_ fingerprint: UInt64, _ state: State) throws -> UInt32 {
            if let index = table[fingerprint] { return index }
            let index = graph.fingerprints.count
            if let limit = options.maxStates, index >= limit { throw LivenessError.stateLimitExceeded(limit: limit) }
            if index >= Int(UInt32.max) { throw LivenessError.graphTooLarge(states: index, edges: graph.edgeCount) }
            table[fingerprint] = UInt32(index)
            graph.fingerprints.append(fingerprint)
            queue.append(state)
            return UInt32(index)
        }

        for (position, state) in system.initialStates.enumerated() {
            let before = graph.stateCount
            _ = try discover(state.fingerprint, state)
            if graph.stateCount > before { graph.initialPositions.append(position) }
        }

        var expanded = 0
        while head < queue.count {
            let end = min(head + Self.batchSize, queue.count)
            let expansions = expandAll(queue[head ..< end])
            head = end
            for expansion in expansions {
                let state = expanded
                expanded += 1
                for predicate in graph.predicates.indices {
                    graph.predicates[predicate].reserve(expanded)
                    if expansion.predicateBits & (1 << UInt64(predicate)) != 0 {
                        graph.predicates[predicate][state] = true
                    }
                }
                graph.outsideBoundary.reserve(expanded)
                if expansion.outsideBoundary { graph.outsideBoundary[state] = true }
                for successor in expansion.successors {
                    let target = try discover(successor.fingerprint, successor.state)
                    graph.edgeTarget.append(target)
                    if !classIDs.isEmpty { graph.edgeClass.append(successor.classID) }
                }
                if graph.edgeCount >= Int(UInt32.max) {
                    throw LivenessError.graphTooLarge(states: graph.stateCount, edges: graph.edgeCount)
                }
                graph.edgeStart.append(UInt32(graph.edgeCount))
            }
            if head >= 1 << 16, head * 2 >= queue.count {
                queue.removeFirst(head)
                head = 0
            }
            if let progress = options.progress, graph.stateCount >= nextReport {
                nextReport = graph.stateCount + options.progressInterval
                progress(LivenessProgress(phase: .exploring, statesExplored: graph.stateCount, edges: graph.edgeCount, sccsFound: 0))
            }
        }
        options.progress?(LivenessProgress(phase: .exploring, statesExplored: graph.stateCount, edges: graph.edgeCount, sccsFound: 0))
        return graph
    }
}

/// Result slots written by concurrent workers, each slot by exactly one worker.
///
/// Raw memory rather than an array: concurrent `withUnsafeMutableBufferPointer` calls on a
/// class's array property would be overlapping accesses under Swift's exclusivity checks.
private final class ExpansionSlots<Element>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Element?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// Safe without a lock: workers write disjoint slots and `collect` runs after they finish.
    func store(_ element: Element, at index: Int) {
        slots[index] = element
    }

    func collect() -> [Element] {
        (0 ..< count).map { slots[$0]! }
    }
}
