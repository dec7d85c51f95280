/// Decides `eventually` and `leadsTo` properties under the model's fairness assumptions.
///
/// It builds the whole reachable graph (`LivenessGraph`, about 12 B per state and 4–5 B per
/// edge), then per property searches for a *fair* way to avoid the goal forever:
/// - `eventually P`: in the subgraph of ¬P states reachable from ¬P initial states, a fair SCC
///   or a terminal state (a finite maximal run where P never held);
/// - `P leadsTo Q`: in the ¬Q subgraph, from a reachable P ∧ ¬Q state, a fair SCC or a
///   terminal state.
/// A counterexample (`PropertyStatus.violated`) is a lasso: the shortest stem (breadth-first)
/// to the component, then a cycle inside it that takes or disables every fairly scheduled class
/// as needed. The result has the shape of a safety search's (`CheckResult`), so the two merge.
///
/// States outside the model's boundary are not expanded; runs that reach them are not judged
/// (neither as terminal nor as cycles), so verdicts are about the bounded graph.
public struct LivenessChecker<System: TransitionSystem>: Sendable {
    public typealias State = System.State

    public let system: System
    public let fairness: [Fairness]
    let fairnessClass: (@Sendable (System.Action) -> String?)?
    /// Expands a state of a system that leaves enabled actions out (`leavesOutSuccessors`),
    /// reporting those too: fairness is judged on what is enabled, not on the edges stored.
    var expandLeavingOut: LeavingOutExpansion<System>?
    public var options: LivenessOptions

    /// A checker without fairness: every infinite run counts.
    public init(_ system: System, options: LivenessOptions = LivenessOptions()) {
        self.system = system
        fairness = []
        fairnessClass = nil
        expandLeavingOut = nil
        self.options = options
    }

    /// A checker with explicit fairness assumptions, for models that do not declare them.
    public init(
        _ system: System,
        fairness: [Fairness],
        fairnessClass: @escaping @Sendable (System.Action) -> String?,
        options: LivenessOptions = LivenessOptions()
    ) {
        self.system = system
        self.fairness = fairness
        self.fairnessClass = fairnessClass
        expandLeavingOut = nil
        self.options = options
    }

    /// The model's own liveness properties (`eventually` and `leadsTo`).
    public var livenessProperties: [Property<State>] {
        system.properties.filter { $0.expectation == .eventually || $0.expectation == .leadsTo }
    }

    /// Checks `properties` (by default the model's liveness properties) on one graph: one
    /// verdict per property, in the order given. A limit (`maxStates`, time, memory,
    /// cancellation) ends the check with that outcome and the undecided properties
    /// `.incomplete`; it throws only when the check cannot run (`LivenessError`).
    public func check(_ properties: [Property<State>]? = nil) throws -> CheckResult<System> {
        let start = ContinuousClock.now
        let properties = properties ?? livenessProperties
        var predicates: [@Sendable (State) -> Bool] = []
        var slots: [(premise: Int?, goal: Int)] = []
        for property in properties {
            switch property.expectation {
            case .eventually:
                slots.append((nil, predicates.count))
                predicates.append(property.condition)
            case .leadsTo:
                guard let premise = property.premise else { throw LivenessError.notALivenessProperty(name: property.name) }
                slots.append((predicates.count, predicates.count + 1))
                predicates.append(premise)
                predicates.append(property.condition)
            case .always, .sometimes:
                throw LivenessError.notALivenessProperty(name: property.name)
            }
        }
        var classIDs: [String: UInt8] = [:]
        var classNames: [String] = []
        for assumption in fairness where classIDs[assumption.actionClass] == nil {
            if classNames.count == Int(LivenessGraph.noClass) {
                throw LivenessError.tooManyFairnessClasses(Set(fairness.map(\.actionClass)).count)
            }
            classIDs[assumption.actionClass] = UInt8(classNames.count)
            classNames.append(assumption.actionClass)
        }
        let builder = LivenessGraphBuilder(
            system: system, predicates: predicates, classIDs: classIDs,
            classOf: classIDs.isEmpty ? nil : fairnessClass, expandLeavingOut: classIDs.isEmpty ? nil : expandLeavingOut,
            options: options)
        func result(_ outcome: CheckOutcome, _ verdicts: [PropertyVerdict<System>], _ statistics: CheckStatistics,
                    warnings: [String] = []) -> CheckResult<System> {
            var statistics = statistics
            statistics.seconds = (ContinuousClock.now - start).seconds
            statistics.peakMemoryBytes = peakMemoryBytes()
            statistics.workers = options.workers
            let reason = IncompleteReason(outcome)
            let decided = verdicts + properties.dropFirst(verdicts.count).map { property in
                PropertyVerdict(name: property.name, expectation: property.expectation, status: reason.map { .incomplete($0) } ?? .notChecked)
            }
            return CheckResult(modelName: system.name, outcome: outcome, statistics: statistics, verdicts: decided, warnings: warnings)
        }
        let graph: LivenessGraph
        do {
            graph = try builder.build()
        } catch let stopped as LivenessGraphStopped {
            return result(stopped.outcome, [], CheckStatistics(distinctStates: stopped.states, transitions: stopped.edges))
        }

        let constraints = fairness.map { assumption in
            switch assumption {
            case .weak(let name): FairnessConstraint(strong: false, classID: classIDs[name]!)
            case .strong(let name): FairnessConstraint(strong: true, classID: classIDs[name]!)
            }
        }
        var used = [Bool](repeating: false, count: classNames.count)
        for classID in graph.edgeClass where classID != LivenessGraph.noClass { used[Int(classID)] = true }
        for classID in graph.leftOutClass { used[Int(classID)] = true }
        let warnings = classNames.indices.filter { !used[$0] }.map {
            "fairness class '\(classNames[$0])' is declared but no explored action belongs to it"
        }
        var statistics = CheckStatistics(
            distinctStates: graph.stateCount, transitions: graph.edgeCount, statesOutsideBoundary: 0, stronglyConnectedComponents: 0)
        for state in 0 ..< graph.stateCount {
            if graph.outsideBoundary[state] {
                statistics.statesOutsideBoundary! += 1
            } else if graph.edges(of: state).isEmpty {
                statistics.terminalStates += 1
            }
        }

        var analysis = LivenessAnalysis(graph: graph, constraints: constraints, progress: options.progress)
        var verdicts: [PropertyVerdict<System>] = []
        for (property, slot) in zip(properties, slots) {
            if let outcome = options.limitReached(since: start) {
                statistics.stronglyConnectedComponents = analysis.sccsFound
                return result(outcome, verdicts, statistics, warnings: warnings)
            }
            let status: PropertyStatus<System>
            if let found = analysis.refute(name: property.name, premise: slot.premise, goal: slot.goal) {
                status = .violated(try materialize(found, graph: graph))
            } else {
                status = .holds
            }
            verdicts.append(PropertyVerdict(name: property.name, expectation: property.expectation, status: status))
        }
        statistics.stronglyConnectedComponents = analysis.sccsFound
        options.progress?(LivenessProgress(phase: .finished, statesExplored: graph.stateCount, edges: graph.edgeCount, sccsFound: analysis.sccsFound))
        return result(.complete, verdicts, statistics, warnings: warnings)
    }

    /// Rebuilds the states and actions of a path by re-executing the model along edge
    /// ordinals, checking each state's fingerprint against the graph.
    func materialize(_ path: LivenessPath, graph: LivenessGraph) throws -> Trace<System> {
        var state = system.initialStates[graph.initialPositions[path.states[0]]]
        var steps: [Trace<System>.Step] = []
        steps.reserveCapacity(path.edges.count)
        for (offset, edge) in path.edges.enumerated() {
            let source = path.states[offset]
            let ordinal = edge - Int(graph.edgeStart[source])
            var position = 0
            var taken: Trace<System>.Step?
            system.forEachSuccessor(of: state) { action, next in
                if position == ordinal { taken = Trace.Step(action: action, state: next) }
                position += 1
            }
            guard let taken, taken.state.fingerprint == graph.fingerprints[path.states[offset + 1]] else {
                throw LivenessError.nondeterministicModel(step: offset + 1)
            }
            steps.append(taken)
            state = taken.state
        }
        let trace = Trace(
            system: system, initialState: system.initialStates[graph.initialPositions[path.states[0]]],
            steps: steps, loopIndex: path.loopIndex, premiseIndex: path.premiseIndex)
        return system.reportedTrace(trace)
    }
}

extension LivenessChecker where System: FairTransitionSystem {
    /// A checker using the fairness the model declares, and, for a model that leaves enabled
    /// actions out (partial-order reduction), judging it on every enabled action.
    public init(_ system: System, options: LivenessOptions = LivenessOptions()) {
        self.init(system, fairness: system.fairness, fairnessClass: { system.fairnessClass(of: $0) }, options: options)
        if system.leavesOutSuccessors {
            expandLeavingOut = LeavingOutExpansion { state, leftOut, body in system.forEachSuccessor(of: state, leavingOut: leftOut, body) }
        }
    }
}

/// `FairTransitionSystem.forEachSuccessor(of:leavingOut:_:)` of a checker's system, as a value.
struct LeavingOutExpansion<System: TransitionSystem>: Sendable {
    let expand: @Sendable (System.State, (System.Action) -> Void, (System.Action, System.State) -> Void) -> Void
}
