import ICCore
import ModelChecking

// Invisible internal steps (issue "State-space reduction", item 4).
//
// T9 removes a call context that is answered and that nothing references. It changes nothing
// but the list of contexts, and only in a way no other step can tell apart (an answered,
// unreferenced context is never read by a rule: callbacks reference the contexts they run in,
// and a stop waits for *no* contexts, which removing them at once only allows earlier, as T9
// could). Leaving it a separate step multiplies the states: every interleaving of the removal
// with the other canisters' steps is a state of its own (×17 on a two-canister protocol).
//
// With the reduction, every successor has its removable contexts removed at once. The reachable
// states are then exactly those of the plain model with no removable context left, and a safety
// property that ignores answered contexts (`ICProperty.observesContextRemoval == false`) has
// the same verdict on a state with or without them. Liveness checks never use it: fairness of
// T9 is part of what they judge.

extension ICState {
    /// Whether T9 is enabled for some context (`isRemovable`).
    public var hasRemovableContexts: Bool { callContexts.contains(where: isRemovable) }

    /// The contexts T9 may remove now, in id order.
    public var removableContexts: [ContextId] { callContexts.filter(isRemovable).map(\.id) }

    /// Removes every context T9 may remove now (at most one pass is needed: removing a context
    /// makes no other context removable, since contexts do not reference contexts).
    mutating func removeRemovableContexts() {
        let before = self
        callContexts.removeAll(where: before.isRemovable)
    }
}

extension Trace where System.State == ICState, System.Action == ICAction {
    /// The trace as reports show it, on `plain` (the same system with the whole history and every
    /// step its own): re-executed, with the removals made explicit if the trace's system merged
    /// them. The trace itself if `plain` disagrees about a step (its replay then fails visibly).
    public func reported(on plain: System, mergedInvisibleSteps merged: Bool) -> Trace<System> {
        (merged ? expandingInvisibleSteps(on: plain) : reexecuted(on: plain)) ?? self
    }

    /// The run of a system that merges invisible steps, on `plain`, a system that does not. A
    /// context the merging system removed at once is removed by a `removeContext` step of its
    /// own (in id order) only where the run needs it: before a step that `plain` does not allow
    /// while the context is there (a stop waits for no contexts). The other steps do not read
    /// answered, unreferenced contexts, so the run stays as short as the merged one wherever it
    /// can, and it replays step by step. `nil` if `plain` disagrees about a step. A lasso's
    /// loop index (and a `leadsTo` premise index) moves with the state it names.
    public func expandingInvisibleSteps(on plain: System) -> Trace<System>? {
        guard let initial = initialState(on: plain) else { return nil }
        var state = initial
        var expanded: [Step] = []
        var positions = [0]  // positions[i]: index, in the expanded run, of the state after step i
        func take(_ action: ICAction) -> Bool {
            guard let next = plain.successor(of: state, via: action) else { return false }
            expanded.append(Step(action: action, state: next))
            state = next
            return true
        }
        // A lasso's states must match the merged ones, so that its last state is again its loop
        // state: there every removal is taken at once, right after the step that enables it.
        let eager = loopIndex != nil
        for step in steps {
            if !take(step.action) {
                for context in state.removableContexts {
                    guard take(.removeContext(context)) else { return nil }
                }
                guard take(step.action) else { return nil }
            }
            if eager {
                for context in state.removableContexts {
                    guard take(.removeContext(context)) else { return nil }
                }
            }
            positions.append(expanded.count)
        }
        return Trace(
            system: plain, initialState: initial, steps: expanded, loopIndex: loopIndex.map { positions[$0] },
            premiseIndex: premiseIndex.map { positions[$0] })
    }
}
