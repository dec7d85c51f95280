import ModelChecking

/// What one step changed, in the terms a canister developer reads a counterexample in: program
/// states, balances and statuses of canisters, responses delivered, ingress answers, lost cycles.
/// (The trace file has the whole state; this is the summary printed beside each numbered step.)
extension ObservableState {
    /// The changes from `self` to `next`, one phrase each. `names` are the canisters' program
    /// names, by index, for labels like "C1 ledger".
    public func changes(to next: ObservableState, names: [String] = []) -> [String] {
        var changes: [String] = []
        for (before, after) in zip(canisters, next.canisters) {
            let index = before.id.index
            let name = index < names.count ? "\(before.id) \(names[index])" : "\(before.id)"
            if before.programState != after.programState {
                changes.append("\(name): \(Self.fieldChanges(from: before.programState, to: after.programState))")
            }
            if before.balance != after.balance { changes.append("\(name) balance \(before.balance) → \(after.balance)") }
            if before.status != after.status { changes.append("\(name) \(before.status) → \(after.status)") }
            if before.codeVersion != after.codeVersion {
                changes.append("\(name) code version \(before.codeVersion.map(String.init) ?? "none") → \(after.codeVersion.map(String.init) ?? "none")")
            }
            if (next.history.failedUpgrades[before.id] ?? 0) > (history.failedUpgrades[before.id] ?? 0) {
                changes.append("\(name) upgrade failed: a hook trapped; old code and state kept")
            }
        }
        for (call, record) in next.history.calls.sorted(by: { $0.key < $1.key }) {
            let delivered = history.calls[call]?.deliveredResponses.count ?? 0
            if record.deliveredResponses.count > delivered, let response = record.deliveredResponses.last {
                changes.append("\(call) gets \(response)")
            }
        }
        for (slot, response) in next.history.ingressResponses.sorted(by: { $0.key < $1.key })
        where history.ingressResponses[slot] == nil {
            changes.append("ingress #\(slot) answered: \(response)")
        }
        if next.lostCycles != lostCycles { changes.append("lost cycles \(lostCycles) → \(next.lostCycles)") }
        return changes
    }

    /// A program state's change: only the fields that changed (`sent `0` → `1``), in name
    /// order; the whole values when the state is not a JSON object.
    static func fieldChanges(from before: JSONValue, to after: JSONValue) -> String {
        guard case .object(let old) = before, case .object(let new) = after else {
            return "`\(before.compactDescription)` → `\(after.compactDescription)`"
        }
        return Set(old.keys).union(new.keys).sorted().compactMap { key in
            guard old[key] != new[key] else { return nil }
            let was = old[key].map { "`\($0.compactDescription)`" } ?? "(absent)"
            let now = new[key].map { "`\($0.compactDescription)`" } ?? "(absent)"
            return "\(key) \(was) → \(now)"
        }.joined(separator: ", ")
    }
}
