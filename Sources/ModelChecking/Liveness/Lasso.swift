/// A trace as a liveness counterexample (`PropertyStatus.violated` of an `eventually` or
/// `leadsTo` property): a lasso (a stem, then a cycle repeated forever, `loopIndex` set) or a
/// finite maximal run ending in a state where nothing is enabled (`loopIndex == nil`).
extension Trace {
    /// The number of steps before the cycle (the whole run if there is none).
    public var stemLength: Int { loopIndex ?? steps.count }
    /// The number of steps of the repeated cycle (0 for a finite run).
    public var cycleLength: Int { loopIndex.map { steps.count - $0 } ?? 0 }

    /// How the run unfolds, e.g. "steps 1-7, then steps 8-11 repeat forever".
    public var shape: String {
        func range(_ first: Int, _ last: Int) -> String {
            first == last ? "step \(first)" : "steps \(first)-\(last)"
        }
        guard let loopIndex else {
            let prefix = steps.isEmpty ? "the initial state" : range(1, steps.count)
            return "\(prefix), then no action is enabled (the run ends)"
        }
        let cycle = range(loopIndex + 1, steps.count) + " repeat forever"
        return loopIndex == 0 ? "from the initial state, \(cycle)" : "\(range(1, loopIndex)), then \(cycle)"
    }

    /// The shape, the premise state of a `leadsTo` counterexample, then `render()`.
    public func renderLasso() -> String {
        var lines = [shape]
        if let premiseIndex { lines.append("the premise holds in state \(premiseIndex); the goal never holds from there on") }
        lines.append(render())
        return lines.joined(separator: "\n")
    }
}
