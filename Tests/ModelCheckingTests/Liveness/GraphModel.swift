@testable import ModelChecking

/// A hand-made transition system: states are integers, edges are listed explicitly.
struct GraphModel: FairTransitionSystem {
    struct Action: Hashable, Sendable, CustomStringConvertible {
        var label: String
        var fairClass: String?
        var description: String { label }
    }

    struct Edge: Sendable {
        var label: String
        var fairClass: String?
        var target: Int
    }

    var name = "graph"
    var initialStates: [Int]
    var edges: [Int: [Edge]]
    var fairness: [Fairness] = []
    var boundary: Int? = nil
    var properties: [Property<Int>] = []

    init(initial: [Int] = [0], fairness: [Fairness] = [], _ edges: [(Int, String, String?, Int)]) {
        initialStates = initial
        self.fairness = fairness
        var table: [Int: [Edge]] = [:]
        for (source, label, fairClass, target) in edges {
            table[source, default: []].append(Edge(label: label, fairClass: fairClass, target: target))
        }
        self.edges = table
    }

    func forEachSuccessor(of state: Int, _ body: (Action, Int) -> Void) {
        for edge in edges[state] ?? [] {
            body(Action(label: edge.label, fairClass: edge.fairClass), edge.target)
        }
    }

    func fairnessClass(of action: Action) -> String? { action.fairClass }

    func isWithinBoundary(_ state: Int) -> Bool { boundary.map { state < $0 } ?? true }
}

/// A checker for `model`, with or without its declared fairness.
func check(
    _ model: GraphModel, fair: Bool = true, workers: Int = 1, _ properties: [Property<Int>]
) throws -> CheckResult<GraphModel> {
    let options = LivenessOptions(workers: workers)
    let checker = fair ? LivenessChecker(model, options: options) : LivenessChecker(model, fairness: [], fairnessClass: { _ in nil }, options: options)
    return try checker.check(properties)
}

extension CheckResult {
    /// The verdict on `property` (shorthand for the tests).
    subscript(property: String) -> PropertyVerdict<System>? { verdict(named: property) }
}

extension PropertyVerdict {
    /// The counterexample of a violated property.
    var counterexample: Trace<System>? {
        if case .violated(let trace) = status { return trace }
        return nil
    }

    var holds: Bool { status.holds }
}

extension Trace where System.State: Equatable {
    /// The last state equals the state the loop index designates.
    var cycleCloses: Bool {
        guard let loopIndex else { return false }
        return states[loopIndex] == states[states.count - 1]
    }
}
