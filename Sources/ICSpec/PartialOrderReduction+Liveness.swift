import ICCore
import ICMessaging

/// Partial-order reduction under liveness (docs/architecture.md, "Partial-order reduction",
/// "Liveness"). The liveness checker judges weak fairness on the classes *enabled* in a state
/// (`FairTransitionSystem.forEachSuccessor(of:leavingOut:_:)`: a reduced state reports the
/// classes of the steps it leaves out), so every fair cycle it finds in the reduced graph is a
/// fair run of the full model. For the converse, every fair run of the full model that refutes a
/// property has a counterpart in the reduced graph, an ample set of canister *c* must also meet:
/// - C1–C3 as for safety, with C2 over the liveness properties' reads too (`ICLivenessProperty.reads`)
///   and C3 on every cycle (a progress measure that every reduced step raises: no cycle of the
///   reduced graph is made of reduced steps only, so each passes a fully expanded state);
/// - LF (a fair step): some step of the set is in a declared weak-fairness class (`SpecFairness`). A
///   fair run that took no step of the set would leave that class enabled for ever (no other
///   canister can disable or take it, C1), which fairness forbids; so every fair run takes a
///   step of the set, and the reduced run takes that one first. It never has to add a step the
///   full run does not take (an added user or fault step could leave new fair obligations
///   behind: an ingress message's calls, say);
/// - LQ (nothing in flight from *c*): no request of *c* waits in a queue to another canister.
///   Then no step of *c* can enable again a class of another canister that that canister's own
///   steps disabled meanwhile (a request delivery class starts disabled, a call's response comes
///   once): a class that a full run disables infinitely often is disabled infinitely often on
///   the reduced run as well.
extension PartialOrderReduction {
    /// LF and LQ for the set of `canister`'s steps in `state`.
    func meetsLivenessConditions(
        _ canister: CanisterId, in state: ICState, successors: [(action: ICAction, concrete: ICState, stored: ICState)],
        owners: [CanisterId?]
    ) -> Bool {
        let fair = successors.indices.contains { index in
            owners[index] == canister && SpecFairness.fairnessClass(of: successors[index].action).map(fairnessClasses.contains) == true
        }
        guard fair else { return false }
        for other in state.canisterIds where other != canister {
            if !state.queue(from: canister, to: other).isEmpty { return false }
        }
        return true
    }

    /// Whether `canister` has a system step (one in a fairness class) among `successors`: under
    /// the eager schedule the clock cannot tick while it is enabled, and only `canister`'s own
    /// steps can disable it (C1), so no tick comes before `canister` acts.
    func hasSystemStep(
        _ canister: CanisterId, successors: [(action: ICAction, concrete: ICState, stored: ICState)], owners: [CanisterId?]
    ) -> Bool {
        successors.indices.contains { owners[$0] == canister && SpecFairness.fairnessClass(of: successors[$0].action) != nil }
    }
}
