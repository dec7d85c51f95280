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

    public init(
        name: String, statement: String, premise: (@Sendable (any ICView) -> Bool)? = nil,
        goal: @escaping @Sendable (any ICView) -> Bool
    ) {
        self.name = name
        self.statement = statement
        self.premise = premise
        self.goal = goal
    }
}
