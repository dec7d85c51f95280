/// The explicit-state model checker: explores a `TransitionSystem` and decides its safety
/// properties (`always`, `sometimes`, and deadlock freedom when the system reports deadlocks).
///
/// Liveness properties (`eventually`, `leadsTo`) are reported `.notChecked`: the
/// `LivenessChecker` decides them, in the same result shape, and `CheckResult.merging(_:)`
/// joins the two results.
///
///     let result = Checker(model, options: .init(workers: 4)).run(progress: ProgressReport.printToStandardError)
///     if case .violated(let trace) = result.verdict(named: "safe")?.status { print(trace.render()) }
public struct Checker<System: TransitionSystem>: Sendable {
    public let system: System
    public let options: CheckerOptions

    @inlinable
    public init(_ system: System, options: CheckerOptions = .init()) {
        self.system = system
        self.options = options
    }

    /// Runs the search. `progress` is called on the calling thread about every
    /// `options.progressInterval` (e.g. `ProgressReport.printToStandardError`).
    @inlinable
    public func run(progress: ((ProgressReport) -> Void)? = nil) -> CheckResult<System> {
        let checks = SafetyChecks(system: system)
        switch options.strategy {
        case .breadthFirst:
            if let communicator = options.communicator {
                return DistributedBreadthFirstSearch(system: system, options: options, checks: checks, communicator: communicator)
                    .run(progress: progress)
            }
            let search = BreadthFirstSearch(system: system, options: options, checks: checks)
            if options.storage.isActive { return DiskBreadthFirstSearch(search).run(progress: progress) }
            return search.run(progress: progress)
        case .depthFirst:
            return DepthFirstSearch(system: system, options: options, checks: checks).run(progress: progress)
        case .randomWalk(let seed, let walks, let depth):
            return RandomWalkSearch(
                system: system, options: options, checks: checks, seed: seed, walks: walks, depth: depth
            ).run(progress: progress)
        }
    }
}
