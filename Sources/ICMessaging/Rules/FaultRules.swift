import ICCore

extension ICSystem {
    /// `rejectIngress(slot:)` — spontaneous rejection of ingress (`faults.ingressRejects`): a
    /// not-yet-sent ingress message is answered SYS_TRANSIENT without executing (the ingress pool
    /// was full, or the message expired before induction). No state but the answer changes.
    func rejectIngress(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        guard configuration.faults.ingressRejects else { return }
        for slot in state.ingress.indices where state.ingress[slot] == .notSent {
            var next = state
            next.ingress[slot] = .answered
            next.recordIngressResponse(.reject(.sysTransient, ""), slot: slot)
            body(.rejectIngress(slot: slot), next)
            next.recycle()
        }
    }

    /// `systemReject(call:code:)` — T6 spontaneous request rejection (`faults.spontaneousRejects`).
    ///
    /// Any queued request (no head-of-queue requirement) is removed and answered with a reject
    /// of any code from `spontaneousCodes(for:)` (never SYS_UNKNOWN for guaranteed calls),
    /// refunding all attached cycles.
    func systemReject(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        guard configuration.faults.spontaneousRejects else { return }
        // Not the stop calls the management canister holds: they are no longer in flight.
        for entry in state.queues.entries(below: state.messageQueueCount) {
            let queueIndex = entry.index
            for (position, request) in entry.requests.enumerated() {
                // The request leaves its queue once for all codes: the successors then share
                // one queues component (one copy, one fingerprint) and differ in the response.
                var removed = state
                removed.queues.removeRequest(at: position, fromQueue: queueIndex)
                for code in Self.spontaneousCodes(for: request.kind) {
                    var next = removed
                    next.insertResponse(InFlightResponse(call: request.call, response: .reject(code, ""), refund: request.cycles, isSystemNotice: false))
                    body(.systemReject(call: request.call, code: code), next)
                    next.recycle()
                }
                removed.recycle()
            }
        }
    }

    /// The codes the system may produce spontaneously (T6) for a call of `kind`: any, but never
    /// SYS_UNKNOWN for a guaranteed-response call (P8; AB "Spontaneous request rejection").
    static func spontaneousCodes(for kind: CallKind) -> [RejectCode] {
        kind.isBestEffort ? anySpontaneousCode : guaranteedSpontaneousCodes
    }

    // Computed once: the rule asks for every queued request of every state.
    private static let anySpontaneousCode = Array(RejectCode.allCases)
    private static let guaranteedSpontaneousCodes = RejectCode.allCases.filter { $0 != .sysUnknown }

    /// Whether `callback` may expire now (T7): best effort only (any kind under the
    /// `sysUnknownOnGuaranteed` mutation), not yet expired, no SYS_UNKNOWN notice already in flight
    /// (the IC deduplicates), and at or after the deadline — before it only with `faults.earlyExpiry`.
    /// Reads the callback at `index` in place (no copy of its continuation): the rule asks for
    /// every open callback of every state.
    func canExpire(at index: Int, in state: ICState) -> Bool {
        let (call, isBestEffort, expired, deadline) = state.storage.callbacks.value.withUnsafeBufferPointer {
            ($0[index].call, $0[index].kind.isBestEffort, $0[index].expired, $0[index].deadline)
        }
        guard isBestEffort || mutations.contains(.sysUnknownOnGuaranteed), !expired, !state.hasSystemNotice(for: call)
        else { return false }
        // Under the mutation a guaranteed call (no deadline) may expire at any time.
        guard let deadline else { return true }
        if state.now >= deadline { return true }
        return configuration.faults.earlyExpiry
    }

    /// `expireCall(call:)` — T7 call expiry (caller side, IC-CCM `expire_callbacks`).
    ///
    /// The callback is marked expired and a SYS_UNKNOWN notice with refund 0 goes in flight; the
    /// callee may still be running the call: its real response will be discarded (refund lost).
    /// Simplification: the callee's context is not marked (its deadline is unchanged).
    func expireCall(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        for index in 0..<state.openCallbacks.count where canExpire(at: index, in: state) {
            let callback = state.storage.callbacks.value[index]
            var next = state
            next.openCallbacks[index].expired = true
            next.insertResponse(InFlightResponse(call: callback.call, response: .reject(.sysUnknown, ""), refund: 0, isSystemNotice: true))
            body(.expireCall(call: callback.call), next)
            next.recycle()
        }
    }

    /// `dropRequest(call:)` — load shedding of a best-effort request (`faults.dropBestEffort`).
    ///
    /// Any queued best-effort request is removed; its cycles are settled by `settleDropped`
    /// (lost, or refunded to the caller without a callback). The caller learns nothing now: it
    /// gets SYS_UNKNOWN when the call expires.
    func dropRequest(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        guard configuration.faults.dropBestEffort else { return }
        let sheddable = sheddableSenders(in: state)
        for entry in state.queues.entries(below: state.messageQueueCount) {
            let queueIndex = entry.index
            for (position, request) in entry.requests.enumerated() where request.kind.isBestEffort {
                if let sheddable, !sheddable.contains(request.call.caller) { continue }
                var next = state
                next.queues.removeRequest(at: position, fromQueue: queueIndex)
                settleDropped(request.cycles, of: request.call, in: &next)
                body(.dropRequest(call: request.call), next)
                next.recycle()
            }
        }
    }

    /// `dropResponse(call:)` — load shedding of a best-effort response (`faults.dropBestEffort`).
    ///
    /// A best-effort response whose callback is open and unexpired becomes the compact
    /// `ResponseDropped` notice: SYS_UNKNOWN, refund 0; the refund is settled by `settleDropped`.
    /// The callback is expired from then on: in the AB spec a message can only be dropped once its
    /// origin's deadline is `Expired` ("Call deadline expiry" (a) then "Dropping expired
    /// messages"), so this step is T7 (a) followed by T11.
    func dropResponse(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        guard configuration.faults.dropBestEffort else { return }
        let sheddable = sheddableSenders(in: state)
        for index in 0..<state.responses.count {
            // In place until a response qualifies: no copy of the others or of their callbacks.
            let (call, isSystemNotice) = state.storage.responses.value.withUnsafeBufferPointer { ($0[index].call, $0[index].isSystemNotice) }
            guard !isSystemNotice, let callbackIndex = state.callbackIndex(call) else { continue }
            let (isBestEffort, expired, callee) = state.storage.callbacks.value.withUnsafeBufferPointer {
                ($0[callbackIndex].kind.isBestEffort, $0[callbackIndex].expired, $0[callbackIndex].callee)
            }
            guard isBestEffort, !expired else { continue }
            if let sheddable, !sheddable.contains(callee) { continue }
            let response = state.storage.responses.value[index]
            var next = state
            next.openCallbacks[callbackIndex].expired = true
            next.removeResponse(at: index)
            settleDropped(response.refund, of: response.call, in: &next)
            next.insertResponse(InFlightResponse(call: response.call, response: .reject(.sysUnknown, ""), refund: 0, isSystemNotice: true))
            body(.dropResponse(call: response.call), next)
            next.recycle()
        }
    }
}

extension ICSystem {
    /// Under `LoadShedding.fair`, the senders whose messages may be shed: those with the most
    /// best-effort messages in flight (a queued request counts for its caller, a callee's
    /// response to an open best-effort callback for the callee). `nil`: any (`.arbitrary`).
    func sheddableSenders(in state: ICState) -> Set<CanisterId>? {
        guard configuration.loadShedding == .fair else { return nil }
        var held = Array(repeating: 0, count: state.canisterCount)
        for entry in state.queues.entries(below: state.messageQueueCount) {
            for request in entry.requests where request.kind.isBestEffort { held[request.call.caller.index] += 1 }
        }
        for response in state.responses where !response.isSystemNotice {
            guard let callback = state.callback(response.call), callback.kind.isBestEffort,
                callback.callee.index >= 0, callback.callee.index < held.count
            else { continue }
            held[callback.callee.index] += 1
        }
        let most = held.max() ?? 0
        return Set(held.indices.filter { held[$0] == most && most > 0 }.map { CanisterId($0) })
    }

    /// Where the cycles of a dropped best-effort message go (`configuration.cycleRefunds`): the
    /// lost-cycles sink (the spec's T11), or back to the caller's balance with no code run (the
    /// replica's anonymous refund, credited at once). History: `lost` or `returned`.
    func settleDropped(_ cycles: Cycles, of call: CallId, in state: inout ICState) {
        switch configuration.cycleRefunds {
        case .specification:
            state.lostCycles += cycles
            state.recordCall(call) { $0.lost += cycles }
        case .replica:
            state[canister: call.caller].balance += cycles
            state.recordCall(call) { $0.returned += cycles }
        }
    }
}
