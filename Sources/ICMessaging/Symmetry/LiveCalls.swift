import ICCore
import ModelChecking

/// The calls a state mentions, per caller, with their callees: what symmetry reduction needs
/// both to key members (`SymmetryReduction.extendKeysWithCalls`) and to renumber calls after a renaming
/// (`SymmetryReduction.callNumbering`), and canonical call ids to renumber calls
/// (`ICState.mentionedCallSequences`). Built once per use, in one temporary buffer.
///
/// A call is mentioned by a queued request, a callback (as its call, or as the call whose
/// context it runs in), a context, a response or the recorded history. Its callee is known from
/// all of those but a callback's context and a response without a respondent.
struct LiveCalls {
    /// One buffer, on the stack while it fits (see `with(_:_:)`): `n + 1` offsets, then per
    /// slot its callee, its rank and its answers (see the accessors).
    private let storage: UnsafeMutableBufferPointer<Int>
    private let slotCount: Int
    private let canisterCount: Int

    /// `offset(caller) ..< offset(caller + 1)`: the caller's slots, one per call number.
    func offset(_ caller: Int) -> Int { storage[caller] }
    /// The callee's index (-1 for the management canister), `Int.max` if unknown, `Int.min` if
    /// the state does not mention the call.
    func callee(_ slot: Int) -> Int { storage[canisterCount + 1 + slot] }
    /// Whether the state mentions the call of this slot.
    func isMentioned(_ slot: Int) -> Bool { callee(slot) != Int.min }
    /// The call's rank among its caller's mentioned calls to the same known callee, in number
    /// order (a name-free position: renamings keep the order of one pair's calls); -1 if the
    /// callee is unknown or the call not mentioned.
    func rank(_ slot: Int) -> Int { storage[canisterCount + 1 + slotCount + slot] }
    /// A digest of the call's responses in flight, as a multiset (0 if none): what answered it,
    /// without names. It keys the call in a member's key, and orders calls whose callee is unknown.
    func answers(_ slot: Int) -> UInt64 { UInt64(bitPattern: Int64(storage[canisterCount + 1 + 2 * slotCount + slot])) }

    /// Runs `body` with the live calls of `state`, kept in a temporary buffer (on the stack
    /// while small): symmetry reduction builds them for every successor, and a heap array per
    /// call, with its generic allocation path, cost more than filling it.
    static func with<Result>(_ state: ICState, _ body: (LiveCalls) -> Result) -> Result {
        let records = state.canisters
        var slotCount = 0
        for index in records.indices { slotCount += records[index].nextCallSequence }
        let n = records.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: n + 1 + 3 * slotCount) { buffer in
            fill(buffer, state, canisters: n, slots: slotCount)
            return body(LiveCalls(storage: buffer, slotCount: slotCount, canisterCount: n))
        }
    }

    private init(storage: UnsafeMutableBufferPointer<Int>, slotCount: Int, canisterCount: Int) {
        self.storage = storage
        self.slotCount = slotCount
        self.canisterCount = canisterCount
    }

    private static func fill(_ buffer: UnsafeMutableBufferPointer<Int>, _ state: ICState, canisters n: Int, slots slotCount: Int) {
        let records = state.canisters
        let (callees, ranks, answers) = (n + 1, n + 1 + slotCount, n + 1 + 2 * slotCount)
        buffer[0] = 0
        for index in records.indices { buffer[index + 1] = buffer[index] + records[index].nextCallSequence }
        for slot in 0 ..< slotCount {
            buffer[callees + slot] = Int.min
            buffer[answers + slot] = 0
        }
        func slot(of call: CallId) -> Int? {
            let caller = call.caller.index
            guard caller >= 0, caller < n, call.sequence >= 0, call.sequence < buffer[caller + 1] - buffer[caller] else { return nil }
            return buffer[caller] + call.sequence
        }
        func note(_ call: CallId, _ to: CanisterId?) {
            guard let slot = slot(of: call) else { return }
            if let to { buffer[callees + slot] = to.index } else if buffer[callees + slot] == Int.min { buffer[callees + slot] = Int.max }
        }
        // Every component is read in place (unsafe buffers): subscripting the arrays copied
        // each element, a retain and a release per reference it holds.
        for entry in state.queues.entries {
            entry.requests.withUnsafeBufferPointer { requests in
                for index in requests.indices { note(requests[index].call, requests[index].callee) }
            }
        }
        state.openCallbacks.withUnsafeBufferPointer { callbacks in
            for index in callbacks.indices {
                note(callbacks[index].call, callbacks[index].callee)
                if case .call(let call) = callbacks[index].callerContext { note(call, nil) }
            }
        }
        state.callContexts.withUnsafeBufferPointer { contexts in
            for index in contexts.indices { if case .call(let call) = contexts[index].id { note(call, contexts[index].canister) } }
        }
        state.responses.withUnsafeBufferPointer { responses in
            for index in responses.indices { note(responses[index].call, responses[index].respondent) }
        }
        if state.hasCallHistory {
            let history = state.history
            for (call, record) in history.calls { note(call, record.callee) }
            for (pair, calls) in history.sent { for call in calls { note(call, pair.to) } }
            for (pair, calls) in history.started { for call in calls { note(call, pair.to) } }
        }
        state.responses.withUnsafeBufferPointer { responses in
            for index in responses.indices {
                guard let slot = slot(of: responses[index].call) else { continue }
                buffer[answers + slot] &+= Int(Int64(bitPattern: responses[index].contentFingerprint))
            }
        }
        for caller in 0 ..< n {
            for slot in buffer[caller] ..< buffer[caller + 1] {
                let callee = buffer[callees + slot]
                guard callee >= 0, callee < n else {
                    buffer[ranks + slot] = -1
                    continue
                }
                var rank = 0
                for earlier in buffer[caller] ..< slot where buffer[callees + earlier] == callee { rank += 1 }
                buffer[ranks + slot] = rank
            }
        }
    }

    /// The slot of `call`, if its caller and number are within the state's.
    func slot(of call: CallId) -> Int? {
        let caller = call.caller.index
        guard caller >= 0, caller < canisterCount, call.sequence >= 0, call.sequence < offset(caller + 1) - offset(caller) else { return nil }
        return offset(caller) + call.sequence
    }

    /// `call`'s rank among its caller's calls to the same callee, and its answers (see
    /// `rank(_:)`, `answers(_:)`): the name-free facts a member's key holds about the call.
    func facts(of call: CallId) -> (rank: Int, answers: UInt64) {
        guard let slot = slot(of: call) else { return (-1, 0) }
        return (rank(slot), answers(slot))
    }

    /// `call`'s rank among its caller's calls to the same callee (see `rank(_:)`).
    func rank(of call: CallId) -> Int { slot(of: call).map { rank($0) } ?? -1 }

    /// The numbers of `caller`'s calls the state mentions, ascending.
    func mentionedSequences(of caller: Int) -> [Int] {
        let base = offset(caller)
        return (0 ..< offset(caller + 1) - base).filter { isMentioned(base + $0) }
    }
}
