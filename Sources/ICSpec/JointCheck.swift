import Foundation
import ICMessaging

extension SpecRunner {
    /// Checks specs that share a workload (`Spec.workload`) with one safety search over all
    /// their properties, and each spec alone when that search does not show every property
    /// holding.
    ///
    /// Why: the message-property specs check different properties of the same few workloads,
    /// and at the bounds that matter (a million states each) one search per workload instead of
    /// one per spec is what keeps `icmc verify` within its time. The joint search runs the same
    /// system (its reductions are those that every property allows), so each property holds in
    /// it exactly when it holds alone. A spec checked jointly reports the joint search's states,
    /// transitions and time (`SpecResult.jointlyWith`). Anything but "every property holds" (a
    /// violation, a limit, an error) is checked again spec by spec, so that verdicts, shortest
    /// traces and limits are reported exactly as for a spec alone.
    public func checkJointly(_ specs: [Spec]) -> [(result: SpecResult, counterexample: Counterexample?)] {
        guard let joint = Self.joint(of: specs) else { return specs.map { check($0) } }
        let (result, _) = check(joint)
        guard result.verdict == .holds else { return specs.map { check($0) } }
        let names = specs.map(\.name)
        return specs.map { spec in
            let result = SpecResult(
                name: spec.name, expected: spec.expectation, verdict: .holds, distinct: result.distinct,
                transitions: result.transitions, seconds: result.seconds, traceLength: nil, tracePath: nil, traceText: nil,
                violatedProperties: [], jointlyWith: names.filter { $0 != spec.name })
            return (result, nil)
        }
    }

    /// The spec whose search checks every spec of `specs` at once, or `nil` when they cannot
    /// share one: fewer than two, different or no workload names, an expected violation (it
    /// would be checked again alone anyway), liveness properties, a property name used twice,
    /// or different initial states.
    static func joint(of specs: [Spec]) -> Spec? {
        guard specs.count > 1, let first = specs.first, let workload = first.workload else { return nil }
        let initial = ICState(configuration: first.configuration)
        for spec in specs {
            guard spec.workload == workload, spec.expectation == .holds, spec.livenessProperties.isEmpty,
                spec.silentCanisters == first.silentCanisters, spec.eagerSchedule == first.eagerSchedule,
                spec.maxDepth == first.maxDepth, spec.maxStates == first.maxStates, spec.symmetryGroups == first.symmetryGroups,
                spec.configuration.canisters.count == first.configuration.canisters.count,
                ICState(configuration: spec.configuration) == initial
            else { return nil }
        }
        let properties = specs.flatMap(\.properties)
        guard Set(properties.map(\.name)).count == properties.count else { return nil }
        var joint = first
        joint.name = specs.map(\.name).joined(separator: "+")
        joint.properties = properties
        joint.reductions = specs.dropFirst().reduce(first.reductions) { $0.intersection($1.reductions) }
        joint.minimumStates = specs.compactMap(\.minimumStates).max()
        return joint
    }
}
