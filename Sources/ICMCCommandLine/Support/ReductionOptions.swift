import ArgumentParser
import ICSpec

/// `--symmetry`, `--invisible-steps`, `--canonical-call-ids`, `--relative-time`, `--por`: the state-space reductions a check may use. Off by default, so that state
/// counts and shortest traces are those of the plain breadth-first search.
struct ReductionOptions: ParsableArguments {
    @Flag(help: "Symmetry reduction: swap interchangeable canisters (declared by the spec, else derived from its configuration) into a canonical order before storing a state. Same verdicts, fewer states; counterexamples are reported as concrete runs. Safety checks only.")
    var symmetry = false

    @Flag(help: "Invisible steps: remove an answered call context that nothing references as part of the step that made it removable, instead of in a step of its own (T9). Used when no checked property observes context removal; same verdicts, fewer states and shorter searches; counterexamples are reported with the removals as steps. Safety checks only.")
    var invisibleSteps = false

    @Flag(help: "Canonical call ids: renumber each caller's calls 0, 1, 2, ... in their original order before storing a state, so that states differing only in call numbers (or in how many calls finished before) are one. Same verdicts, fewer states; counterexamples are reported as concrete runs. Safety and liveness checks.")
    var canonicalCallIds = false

    @Flag(help: "Relative time: no clock bound (the spec's maxTime does not apply); a state keeps whether the clock has started and each deadline as the time it has left, so the space is finite without a bound and a retry loop is a cycle. For specs whose programs and properties compare times only with each other: a program that reads the clock (Execution.now, the global timer) is reported as an error. Safety and liveness checks; counterexamples are reported as concrete runs.")
    var relativeTime = false

    @Flag(name: .customLong("por"), help: "Partial-order reduction: where one canister's steps commute with everything the other canisters can do first (known from the declared callees of each canister) and change nothing the properties read, explore only those steps. Same verdicts, fewer states, but counterexamples are not guaranteed to be shortest (the default search without --por is). Safety and liveness checks (liveness judges fairness on the steps enabled, not those explored); a spec it does not apply to (fair load shedding, a depth bound, properties or liveness properties that do not declare their reads) is checked unreduced, with one line saying why.")
    var partialOrder = false

    @Flag(help: "Leave out the merging reductions the spec turns on itself (symmetry, invisible steps, canonical call ids, partial-order reduction), to measure its plain state space; relative time, which defines the space, stays. Reduction flags given with it still apply.")
    var unreduced = false

    /// `spec` with the chosen reductions; bad input (exit 2, one line) when the spec declares
    /// a symmetry its configuration or properties do not allow.
    func apply(to spec: Spec) throws -> Spec {
        if let problem = spec.symmetryDeclarationProblem { throw badInput(problem) }
        var reduced = spec
        if unreduced { reduced.reductions.subtract([.symmetry, .invisibleSteps, .canonicalCallIds, .partialOrder]) }
        if symmetry { reduced.reductions.insert(.symmetry) }
        if invisibleSteps { reduced.reductions.insert(.invisibleSteps) }
        if canonicalCallIds { reduced.reductions.insert(.canonicalCallIds) }
        if relativeTime { reduced.reductions.insert(.relativeTime) }
        if partialOrder { reduced.reductions.insert(.partialOrder) }
        if let problem = reduced.monitorProblem { throw badInput(problem) }
        return reduced
    }
}
