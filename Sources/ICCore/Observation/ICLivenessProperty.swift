/// A liveness claim about IC systems, judged on `ICView`s: `premise ~> goal` ("whenever the
/// premise holds, the goal eventually holds"), or `◇goal` when there is no premise.
///
/// Checked by the liveness checker on the whole bounded state graph under weak fairness of the
/// system's own steps (deliveries, executions, expiry, stop completion, clock ticks); users,
/// controllers and faults are not forced to act. A violation is a fair lasso or a run that ends
/// with the goal never reached.
public struct ICLivenessProperty: Sendable {
    public let name: String
    public let statement: String
    public let premise: (@Sendable (any ICView) -> Bool)?
    public let goal: @Sendable (any ICView) -> Bool
    /// The parts of the ghost history premise and goal read (`.all` by default). A check keeps
    /// only what its properties read: a claim that reads none lets a run that repeats itself
    /// (a retry loop) form a cycle instead of a growing history.
    public let observes: HistoryObservation
    /// Whether premise or goal may change when an answered, unreferenced call context is removed
    /// (T9); `true` by default. With `false` the invisible-steps reduction may merge T9 into the
    /// step that enables it (see `ICProperty.observesContextRemoval`).
    public let observesContextRemoval: Bool
    /// What premise and goal read of a state (`StateReads`; `.everything` by default). Partial-
    /// order reduction with liveness postpones only steps that change none of it (visibility).
    public let reads: StateReads

    public init(
        name: String, statement: String, observes: HistoryObservation = .all, observesContextRemoval: Bool = true,
        reads: StateReads = .everything,
        premise: (@Sendable (any ICView) -> Bool)? = nil, goal: @escaping @Sendable (any ICView) -> Bool
    ) {
        self.reads = reads
        self.name = name
        self.statement = statement
        self.observes = observes
        self.observesContextRemoval = observesContextRemoval
        self.premise = premise
        self.goal = goal
    }
}
