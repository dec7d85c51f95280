import ICCore

/// The ghost history, recorded only where `recording` says so (the checked properties'
/// `ICProperty.observes`): equal situations with different pasts stay one state otherwise.
extension ICState {
    /// Updates the record of `call`, if calls are recorded and the call has one.
    mutating func recordCall(_ call: CallId, _ update: (inout CallRecord) -> Void) {
        guard recording.contains(.calls) else { return }
        history.updateCall(call, update)
    }

    /// Appends `call` to the send order of `pair`, if the order is recorded.
    mutating func recordSent(_ pair: QueuePair, _ call: CallId) {
        guard recording.contains(.order) else { return }
        history.appendSent(call, pair)
    }

    /// Appends `call` to the start order of `pair`, if the order is recorded.
    mutating func recordStarted(_ pair: QueuePair, _ call: CallId) {
        guard recording.contains(.order) else { return }
        history.appendStarted(call, pair)
    }

    /// Counts an upgrade of `canister` that a trapping hook aborted, if upgrades are recorded.
    mutating func recordFailedUpgrade(_ canister: CanisterId) {
        guard recording.contains(.upgrades) else { return }
        history.failedUpgrades[canister, default: 0] += 1
    }

    mutating func recordIngressResponse(_ response: Response, slot: Int) {
        guard recording.contains(.ingressResponses) else { return }
        history.ingressResponses[slot] = response
    }
}
