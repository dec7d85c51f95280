import ICCore
import ModelChecking

// Canonical call ids (issue "State-space reduction", item 4).
//
// A call id is a name: the rules compare ids only for equality and, between calls of one caller,
// for order (the canonical order of responses, contexts and callbacks; the history's per-pair
// lists), and a new call gets an id greater than every id the state mentions. Programs never see
// ids. Renumbering every caller's mentioned calls 0, 1, 2, … in their original order, and its next
// call number to their count, keeps all of that, so it maps runs to runs and verdicts to verdicts
// (for properties that read ids only in these ways, as `ICView` offers them). Two states that
// differ only in how many calls were made before, or in the numbers of finished calls, are then
// one state; calls nothing mentions any more (finished, their history not recorded) disappear.
//
// Order-preserving renumbering also keeps weak fairness per call meaningful for liveness: a call
// that stays open for ever only moves down in its caller's numbering (new calls come after it),
// so from some point on it keeps one name, and a fair run of the renamed system never starves it.

extension ICState {
    /// The state with every caller's mentioned calls renumbered 0, 1, 2, … in their original
    /// order, and each caller's next call number set to their count. The state itself when its
    /// numbering is already canonical (the common case after a step that made or finished no call).
    public func withCanonicalCallIds() -> ICState {
        let mentioned = mentionedCallSequences()
        let canonical = canisters.indices.allSatisfy { caller in
            mentioned[caller].count == canisters[caller].nextCallSequence && mentioned[caller].last.map { $0 == mentioned[caller].count - 1 } ?? true
        }
        guard !canonical else { return self }
        var numbers: [[Int: Int]] = mentioned.map { sequences in
            Dictionary(uniqueKeysWithValues: sequences.enumerated().map { ($0.element, $0.offset) })
        }
        numbers = numbers.map { $0.allSatisfy { $0.key == $0.value } ? [:] : $0 }
        func after(_ call: CallId) -> CallId {
            guard call.caller.index >= 0, call.caller.index < numbers.count, let sequence = numbers[call.caller.index][call.sequence]
            else { return call }
            return CallId(caller: call.caller, sequence: sequence)
        }
        func after(_ context: ContextId) -> ContextId {
            if case .call(let call) = context { return .call(after(call)) }
            return context
        }
        var renamed = self
        var records = canisters
        for caller in records.indices { records[caller].nextCallSequence = mentioned[caller].count }
        renamed.canisters = records
        let renumbers = numbers.map { !$0.isEmpty }
        func touches(_ call: CallId) -> Bool { call.caller.index < renumbers.count && renumbers[call.caller.index] }
        if queues.contains(where: { $0.contains { touches($0.call) } }) {
            renamed.queues = queues.map { queue in
                queue.map { QueuedRequest(renaming: $0, call: after($0.call), callee: $0.callee) }
            }
        }
        if responses.contains(where: { touches($0.call) }) {
            renamed.responses = responses.map {
                $0.renamed(call: after($0.call), respondent: $0.respondent)
            }.sorted(by: InFlightResponse.precedes)
        }
        if callContexts.contains(where: { if case .call(let call) = $0.id { touches(call) } else { false } }) {
            renamed.callContexts = callContexts.map {
                CallContext(id: after($0.id), canister: $0.canister, needsToRespond: $0.needsToRespond, deleted: $0.deleted,
                            availableCycles: $0.availableCycles, deadline: $0.deadline)
            }.sorted { $0.id < $1.id }
        }
        if openCallbacks.contains(where: { touches($0.call) || { if case .call(let call) = $0 { touches(call) } else { false } }($0.callerContext) }) {
            renamed.openCallbacks = openCallbacks.map {
                Callback(renaming: $0, call: after($0.call), callerContext: after($0.callerContext), callee: $0.callee)
            }.sorted { $0.call < $1.call }
        }
        let history = self.history
        if history.calls.keys.contains(where: touches) || history.sent.values.contains(where: { $0.contains(where: touches) })
            || history.started.values.contains(where: { $0.contains(where: touches) }) {
            var moved = history
            moved.calls = Dictionary(uniqueKeysWithValues: history.calls.map { (after($0.key), $0.value) })
            moved.sent = history.sent.mapValues { $0.map(after) }
            moved.started = history.started.mapValues { $0.map(after) }
            renamed.history = moved
        }
        return renamed
    }

    /// Per caller (by index), the sequence numbers of the calls the state mentions, ascending:
    /// in a queue, a response, a context, a callback (as its call or its caller's context) or
    /// the recorded history (`LiveCalls`, which symmetry reduction shares).
    func mentionedCallSequences() -> [[Int]] {
        LiveCalls.with(self) { live in canisters.indices.map(live.mentionedSequences(of:)) }
    }
}
