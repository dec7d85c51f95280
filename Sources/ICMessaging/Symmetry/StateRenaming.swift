import ICCore
import ModelChecking

/// A renaming of the names an IC state uses: canisters (within symmetry groups), ingress slots
/// (following their canisters) and call ids.
///
/// Symmetry reduction replaces a state by a renamed one; the renaming is kept so that a trace
/// found on renamed states can be mapped back to the concrete run (`SymmetryReduction.concrete`).
/// Calls not in `calls` keep their sequence number and follow their caller: that is how a call
/// made after the renaming was computed is named on both sides.
public struct StateRenaming: Hashable, Sendable {
    /// `canisters[i]` is the new index of canister `i`.
    public let canisters: [Int]
    /// `slots[j]` is the new ingress slot of slot `j`.
    public let slots: [Int]
    /// New sequence numbers of the calls the state mentions: `sequences[caller][sequence]`, by
    /// the old caller index and number; -1 (or beyond the end) keeps the number.
    public let sequences: [[Int]]

    public init(canisters: [Int], slots: [Int], sequences: [[Int]]) {
        self.canisters = canisters
        self.slots = slots
        self.sequences = sequences
    }

    /// The renaming that changes nothing.
    public static func identity(canisters: Int, slots: Int) -> StateRenaming {
        StateRenaming(canisters: Array(0 ..< canisters), slots: Array(0 ..< slots), sequences: [])
    }

    public var isIdentity: Bool {
        canisters.enumerated().allSatisfy { $0.offset == $0.element }
            && slots.enumerated().allSatisfy { $0.offset == $0.element }
            && sequences.allSatisfy { numbers in numbers.enumerated().allSatisfy { $0.element < 0 || $0.offset == $0.element } }
    }

    /// The canister's new name.
    public func after(_ id: CanisterId) -> CanisterId { CanisterId(canisters[id.index]) }

    /// The call's new name: its caller renamed, its number renumbered if the state mentions it.
    public func after(_ call: CallId) -> CallId {
        var sequence = call.sequence
        if call.caller.index < sequences.count {
            let numbers = sequences[call.caller.index]
            if sequence < numbers.count, numbers[sequence] >= 0 { sequence = numbers[sequence] }
        }
        return CallId(caller: after(call.caller), sequence: sequence)
    }

    /// The context's new name (ingress slot or call).
    public func after(_ context: ContextId) -> ContextId {
        switch context {
        case .ingress(let slot): .ingress(slot: slots[slot])
        case .call(let call): .call(after(call))
        case .systemTask(let canister, let sequence): .systemTask(canister: after(canister), sequence: sequence)
        }
    }

    /// The action under the new names (choices and codes are not names and stay).
    public func actionAfter(_ action: ICAction) -> ICAction {
        switch action {
        case .ingress(let slot, let choices, let trap): .ingress(slot: slots[slot], choices: choices, trap: trap)
        case .deliverRequest(let from, let to, let choices, let trap):
            .deliverRequest(from: after(from), to: after(to), choices: choices, trap: trap)
        case .rejectRequest(let from, let to, let code): .rejectRequest(from: after(from), to: after(to), code: code)
        case .deliverResponse(let call, let choices, let trap): .deliverResponse(call: after(call), choices: choices, trap: trap)
        case .discardResponse(let call): .discardResponse(call: after(call))
        case .starveContext(let context): .starveContext(after(context))
        case .removeContext(let context): .removeContext(after(context))
        case .systemReject(let call, let code): .systemReject(call: after(call), code: code)
        case .expireCall(let call): .expireCall(call: after(call))
        case .dropRequest(let call): .dropRequest(call: after(call))
        case .dropResponse(let call): .dropResponse(call: after(call))
        case .stopCanister(let id): .stopCanister(after(id))
        case .completeStop(let id): .completeStop(after(id))
        case .stopRequestTimeout(let id): .stopRequestTimeout(after(id))
        case .startCanister(let id): .startCanister(after(id))
        case .upgradeCanister(let id): .upgradeCanister(after(id))
        case .uninstallCanister(let id): .uninstallCanister(after(id))
        case .installCanister(let id): .installCanister(after(id))
        case .reinstallCanister(let id): .reinstallCanister(after(id))
        case .tick: .tick
        case .heartbeat(let id, let choices, let trap): .heartbeat(after(id), choices: choices, trap: trap)
        case .globalTimer(let id, let choices, let trap): .globalTimer(after(id), choices: choices, trap: trap)
        case .rejectIngress(let slot): .rejectIngress(slot: slots[slot])
        case .managementCall(let from): .managementCall(from: after(from))
        case .stopCallTimeout(let call): .stopCallTimeout(call: after(call))
        }
    }

    /// The state under the new names, with every collection back in its canonical order.
    /// Components the renaming leaves alone keep their boxes (and cached fingerprints).
    public func stateAfter(_ state: ICState) -> ICState {
        let movesCanisters = canisters.indices.contains { canisters[$0] != $0 }
        let n = state.canisterCount
        // The renaming's inverse, in a temporary buffer: `oldIndex[new]` is the canister that
        // becomes `new`, `oldSlot[new]` the ingress slot that becomes `new`.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: movesCanisters ? n + slots.count : 0) { inverse in
            let oldIndex = UnsafeMutableBufferPointer(rebasing: inverse[0 ..< (movesCanisters ? n : 0)])
            let oldSlot = UnsafeMutableBufferPointer(rebasing: inverse[oldIndex.count...])
            for old in canisters.indices where movesCanisters { oldIndex[canisters[old]] = old }
            for old in slots.indices where movesCanisters { oldSlot[slots[old]] = old }
            return stateAfter(state, movesCanisters: movesCanisters, oldIndex: UnsafeBufferPointer(oldIndex), oldSlot: UnsafeBufferPointer(oldSlot))
        }
    }

    private func stateAfter(_ state: ICState, movesCanisters: Bool, oldIndex: UnsafeBufferPointer<Int>, oldSlot: UnsafeBufferPointer<Int>) -> ICState {
        var renamed = state
        let n = state.canisterCount
        if movesCanisters {
            // Into the state's spare component box and its buffer where the pool has one,
            // instead of a new array and a new box.
            renamed.permuteCanisters(oldIndex)
            // Moved slots often hold equal statuses: then nothing is written.
            let ingress = state.ingress
            var moved = ingress
            for slot in oldSlot.indices where oldSlot[slot] != slot { moved[slot] = ingress[oldSlot[slot]] }
            if moved != ingress { renamed.ingress = moved }
        }
        // Only the non-empty queues are visited (looking up each of the n² cost a scan each).
        let oldQueues = state.queues
        if movesCanisters ? !oldQueues.entries.isEmpty : oldQueues.entries.contains(where: { $0.requests.contains(where: changes) }) {
            var entries: [RequestQueues.Entry] = []
            entries.reserveCapacity(oldQueues.entries.count)
            for entry in oldQueues.entries {
                let (from, to) = (entry.index / n, entry.index % n)
                let requests = entry.requests.contains(where: changes) ? entry.requests.map(requestAfter) : entry.requests
                entries.append(RequestQueues.Entry(index: movesCanisters ? canisters[from] * n + canisters[to] : entry.index, requests: requests))
            }
            entries.sort { $0.index < $1.index }
            renamed.queues = RequestQueues(count: n * n, sortedEntries: entries)
        }
        let responses = state.responses
        // Responses, contexts and callbacks are renamed and sorted in place, like the canisters.
        if responses.contains(where: changes) {
            renamed.responses.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices where changes(buffer[index]) {
                    let response = buffer[index]
                    buffer[index] = response.renamed(call: after(response.call), respondent: response.respondent.map { after($0) })
                }
                buffer.sortShort(by: InFlightResponse.precedes)
            }
        }
        if state.callContexts.contains(where: changes) {
            renamed.callContexts.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices where changes(buffer[index]) {
                    let context = buffer[index]
                    buffer[index] = CallContext(
                        id: after(context.id), canister: after(context.canister), needsToRespond: context.needsToRespond,
                        deleted: context.deleted, availableCycles: context.availableCycles, deadline: context.deadline)
                }
                buffer.sortShort { $0.id < $1.id }
            }
        }
        if state.openCallbacks.contains(where: changes) {
            renamed.openCallbacks.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices where changes(buffer[index]) {
                    let callback = buffer[index]
                    buffer[index] = Callback(
                        renaming: callback, call: after(callback.call), callerContext: after(callback.callerContext), callee: after(callback.callee))
                }
                buffer.sortShort { $0.call < $1.call }
            }
        }
        let history = state.history
        if !history.isEmpty { renamed.history = historyAfter(history) }
        return renamed
    }

    /// Whether the renaming changes a name `request` holds.
    private func changes(_ request: QueuedRequest) -> Bool { after(request.call) != request.call || after(request.callee) != request.callee }

    /// Whether the renaming changes a name `response` holds.
    private func changes(_ response: InFlightResponse) -> Bool {
        after(response.call) != response.call || response.respondent.map { after($0) != $0 } == true
    }

    /// Whether the renaming changes a name `context` holds.
    private func changes(_ context: CallContext) -> Bool { after(context.id) != context.id || after(context.canister) != context.canister }

    /// Whether the renaming changes a name `callback` holds.
    private func changes(_ callback: Callback) -> Bool {
        after(callback.call) != callback.call || after(callback.callerContext) != callback.callerContext || after(callback.callee) != callback.callee
    }

    private func requestAfter(_ request: QueuedRequest) -> QueuedRequest {
        QueuedRequest(renaming: request, call: after(request.call), callee: after(request.callee))
    }

    private func historyAfter(_ history: CallHistory) -> CallHistory {
        var renamed = CallHistory()
        for (call, record) in history.calls {
            renamed.calls[after(call)] = record.relabelled(callee: after(record.callee), deadline: record.deadline)
        }
        for (pair, calls) in history.sent { renamed.sent[pairAfter(pair)] = calls.map { after($0) } }
        for (pair, calls) in history.started { renamed.started[pairAfter(pair)] = calls.map { after($0) } }
        for (slot, response) in history.ingressResponses { renamed.ingressResponses[slots[slot]] = response }
        for (canister, failed) in history.failedUpgrades { renamed.failedUpgrades[after(canister)] = failed }
        return renamed
    }

    private func pairAfter(_ pair: QueuePair) -> QueuePair { QueuePair(from: after(pair.from), to: after(pair.to)) }
}

extension UnsafeMutableBufferPointer {
    /// Sorts a short buffer (a state's responses, contexts or callbacks) by insertion, moving
    /// elements in place: the standard sort copied (retained and released) them to compare.
    /// Stable, like `sort(by:)`; inlined, so that the comparison reads only the fields it needs.
    @inline(__always)
    func sortShort(by areInIncreasingOrder: (Element, Element) -> Bool) {
        guard count > 1 else { return }
        for index in 1 ..< count {
            var position = index
            while position > 0, areInIncreasingOrder(self[position], self[position - 1]) {
                swapAt(position, position - 1)
                position -= 1
            }
        }
    }
}
