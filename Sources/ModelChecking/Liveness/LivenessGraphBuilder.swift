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
    /// How to expand a state of a system that leaves enabled actions out, if it does.
    let expandLeavingOut: LeavingOutExpansion<System>?
    let options: LivenessOptions

    /// States expanded per parallel round; independent of the worker count.
    static var batchSize: Int { 2048 }

    /// What expanding one state produced. Non-generic edge records keep the per-edge work
    /// free of generic metadata look-ups when the builder runs unspecialized.
    struct Expansion: Sendable {
        var predicateBits: UInt64 = 0
        var outsideBoundary = false
        var edges: [EdgeRecord] = []
        /// The states of the `unknown` edges, in edge order.
        var newStates: [State] = []
        /// The fairness classes of the actions left out, each once (partial-order reduction).
        var leftOutClasses: [UInt8] = []
    }

    func expand(_ state: State, known: FingerprintIndex) -> Expansion {
        var expansion = Expansion()
        for bit in predicates.indices where predicates[bit](state) {
            expansion.predicateBits |= 1 << UInt64(bit)
        }
        guard system.isWithinBoundary(state) else {
            expansion.outsideBoundary = true
            return expansion
        }
        let record: (System.Action, State) -> Void = { action, next in
            let classID = classID(of: action)
            let fingerprint = next.fingerprint
            if let index = known.table[fingerprint] {
                expansion.edges.append(EdgeRecord(fingerprint: fingerprint, index: index, classID: classID))
            } else {
                expansion.edges.append(EdgeRecord(fingerprint: fingerprint, index: EdgeRecord.unknown, classID: classID))
                expansion.newStates.append(next)
            }
        }
        if let expandLeavingOut {
            expandLeavingOut.expand(state, { action in
                let classID = classID(of: action)
                if classID != LivenessGraph.noClass, !expansion.leftOutClasses.contains(classID) { expansion.leftOutClasses.append(classID) }
            }, record)
        } else {
            system.forEachSuccessor(of: state, record)
        }
        return expansion
    }

    @inline(__always)
    private func classID(of action: System.Action) -> UInt8 {
        if let classOf, let name = classOf(action), let id = classIDs[name] { return id }
        return LivenessGraph.noClass
    }

    /// Expands `states` in order, on `options.workers` threads when worthwhile.
    /// Workers only read `known` (the merge, which writes it, runs after them).
    func expandAll(_ states: ArraySlice<State>, known: FingerprintIndex) -> [Expansion] {
        let workers = min(options.workers, states.count)
        if workers <= 1 { return states.map { expand($0, known: known) } }
        let results = ExpansionSlots<Expansion>(count: states.count)
        let base = states.startIndex
        let count = states.count
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var position = worker
            while position < count {
                results.store(expand(states[base + position], known: known), at: position)
                position += workers
            }
        }
        return results.collect()
    }

    func build() throws -> LivenessGraph {
        let start = ContinuousClock.now
        guard options.workers >= 1 else { throw LivenessError.invalidWorkerCount(options.workers) }
        if predicates.count > 64 { throw LivenessError.tooManyPredicates(predicates.count) }
        var graph = LivenessGraph()
        graph.classCount = classIDs.count
        graph.predicates = predicates.map { _ in LivenessBitSet(count: 0) }
        if !classIDs.isEmpty { graph.edgeClass = [] }
        let known = FingerprintIndex()
        var queue: [State] = []
        var head = 0
        var nextReport = options.progressInterval

        func discover(_ fingerprint: UInt64, _ state: State) throws -> UInt32 {
            if let index = known.table[fingerprint] { return index }
            let index = graph.fingerprints.count
            if let limit = options.maxStates, index >= limit {
                throw LivenessGraphStopped(outcome: .stateLimitReached, states: index, edges: graph.edgeCount)
            }
            if index >= Int(UInt32.max) { throw LivenessError.graphTooLarge(states: index, edges: graph.edgeCount) }
            known.table[fingerprint] = UInt32(index)
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
            if let outcome = options.limitReached(since: start) {
                throw LivenessGraphStopped(outcome: outcome, states: graph.stateCount, edges: graph.edgeCount)
            }
            let end = min(head + Self.batchSize, queue.count)
            let expansions = expandAll(queue[head ..< end], known: known)
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
                var newState = 0
                for edge in expansion.edges {
                    var target = edge.index
                    if target == EdgeRecord.unknown {
                        target = try discover(edge.fingerprint, expansion.newStates[newState])
                        newState += 1
                    }
                    graph.edgeTarget.append(target)
                    if !classIDs.isEmpty { graph.edgeClass.append(edge.classID) }
                }
                if graph.edgeCount >= Int(UInt32.max) {
                    throw LivenessError.graphTooLarge(states: graph.stateCount, edges: graph.edgeCount)
                }
                graph.edgeStart.append(UInt32(graph.edgeCount))
                graph.recordLeftOut(expansion.leftOutClasses, of: state)
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

/// One successor call. `index` is the target's number when the fingerprint table already
/// knew it during the parallel phase, `unknown` otherwise (then its state is in `newStates`).
/// Top-level, not nested in the generic builder: a nested type would be generic too, and
/// appending it in unspecialized code costs a metadata look-up per edge.
struct EdgeRecord: Sendable {
    static let unknown = UInt32.max
    var fingerprint: UInt64
    var index: UInt32
    var classID: UInt8
}


/// The fingerprint → state number table, shared by reference so that workers can read it
/// while expanding and the merge can then grow it in place (a captured `Dictionary` value
/// would be copied on the merge's first write).
final class FingerprintIndex: @unchecked Sendable {
    /// Read concurrently by workers, written only by the merge, never both at once.
    var table: [UInt64: UInt32] = [:]
}

/// Result slots written by concurrent workers, each slot by exactly one worker.
///
/// Raw memory rather than an array: concurrent `withUnsafeMutableBufferPointer` calls on a
/// class's array property would be overlapping accesses under Swift's exclusivity checks.
final class ExpansionSlots<Element>: @unchecked Sendable {
    let slots: UnsafeMutablePointer<Element?>
    let count: Int

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
