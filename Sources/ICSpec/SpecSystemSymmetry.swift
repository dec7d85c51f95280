import ICCore
import ICMessaging
import ModelChecking

extension SpecSystem {
    /// This system without symmetry reduction or canonical call ids (same history recording).
    var unreduced: SpecSystem {
        SpecSystem(base: base, silent: silent, eagerSchedule: eagerSchedule, fairness: fairness, symmetry: nil)
    }

    /// The concrete run behind `trace`, a trace of a system storing `representative`s of its
    /// states (symmetry, canonical call ids): from the concrete initial state, each step takes a
    /// concrete successor whose representative is the trace's next state. Such a successor
    /// exists because equivalent states have equivalent successors and equal representatives;
    /// `nil` if one is missing (the configuration is not symmetric after all; `SymmetryAudit`
    /// catches that on small instances). A lasso keeps its loop index: its last state equals
    /// the loop state up to the renaming.
    func concretised(_ trace: Trace<SpecSystem>, representative: (ICState) -> ICState) -> Trace<SpecSystem>? {
        guard var state = initialStates.first(where: { representative($0) == trace.initialState }) else { return nil }
        let initial = state
        var steps: [Trace<SpecSystem>.Step] = []
        for step in trace.steps {
            var found: (action: ICAction, state: ICState)?
            forEachSuccessor(of: state) { action, next in
                if found == nil, representative(next) == step.state { found = (action, next) }
            }
            guard let found else { return nil }
            steps.append(Trace.Step(action: found.action, state: found.state))
            state = found.state
        }
        return Trace(system: self, initialState: initial, steps: steps, loopIndex: trace.loopIndex, premiseIndex: trace.premiseIndex)
    }
}
