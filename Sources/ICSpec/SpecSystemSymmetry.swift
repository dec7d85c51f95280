import ICCore
import ICMessaging
import ModelChecking

extension SpecSystem {
    /// This system without symmetry reduction (same history recording).
    var unreduced: SpecSystem {
        SpecSystem(base: base, silent: silent, eagerSchedule: eagerSchedule, fairness: fairness, symmetry: nil)
    }

    /// The concrete run behind `trace`, a trace of this system under `symmetry`: from the
    /// concrete initial state, each step takes a concrete successor whose representative is the
    /// trace's next state. Such a successor exists because equivalent states have equivalent
    /// successors and equal representatives; `nil` if one is missing (the configuration is not
    /// symmetric after all; `SymmetryAudit` catches that on small instances).
    func concretised(_ trace: Trace<SpecSystem>, by symmetry: SymmetryReduction) -> Trace<SpecSystem>? {
        guard var state = initialStates.first(where: { symmetry.canonical($0).state == trace.initialState }) else { return nil }
        let initial = state
        var steps: [Trace<SpecSystem>.Step] = []
        for step in trace.steps {
            var found: (action: ICAction, state: ICState)?
            forEachSuccessor(of: state) { action, next in
                if found == nil, symmetry.canonical(next).state == step.state { found = (action, next) }
            }
            guard let found else { return nil }
            steps.append(Trace.Step(action: found.action, state: found.state))
            state = found.state
        }
        return Trace(system: self, initialState: initial, steps: steps, loopIndex: trace.loopIndex)
    }
}
