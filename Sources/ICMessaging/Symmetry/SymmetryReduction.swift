import ICCore
import ModelChecking

/// Symmetry reduction: replaces each state by a representative of its class under swapping the
/// members of each `SymmetryGroups` group and renaming live calls.
///
/// The representative sorts each group's members by a key computed from everything a member
/// has (program state, balance, status, its queues, contexts, callbacks, responses, history,
/// with other members' names and call numbers left out), ties tried in every order; then it numbers
/// every caller's live calls 0, 1, 2, … by callee and, per callee, in their original order (so
/// the order of calls between one pair, which the IC semantics and some properties read, is
/// kept). Call ids are names: no rule or program reads their numbers beyond that order.
///
/// Merging two states is sound because the representative is the state under a renaming, and
/// renamings of interchangeable canisters and of calls map runs to runs (checked by
/// `SymmetryAudit`). Equivalent states get the same representative (the key ignores names and
/// every order of tied members is tried), which is what lets a reduced trace be made concrete
/// again step by step.
public struct SymmetryReduction: Sendable {
    public let groups: SymmetryGroups
    let slotsOfCanister: [[Int]]
    let slotCount: Int
    /// `groupOf[i]` is the group of canister `i`, or -1.
    let groupOf: [Int]

    public init(groups: SymmetryGroups, configuration: SystemConfiguration) {
        self.groups = groups
        slotsOfCanister = SymmetryGroups.slots(of: configuration)
        slotCount = configuration.ingress.count
        var groupOf = Array(repeating: -1, count: configuration.canisters.count)
        for (index, group) in groups.groups.enumerated() { for member in group { groupOf[member.index] = index } }
        self.groupOf = groupOf
    }

    /// The representative of `state` and the renaming that produced it from `state`.
    public func canonical(_ state: ICState) -> (state: ICState, renaming: StateRenaming) {
        let renaming = canonicalRenaming(of: state)
        return renaming.isIdentity ? (state, renaming) : (renaming.stateAfter(state), renaming)
    }

    /// The renaming that takes `state` to its representative: members sorted by key; members
    /// with equal keys are tried in every order and the order whose renamed state has the
    /// smallest fingerprint wins, so that equivalent states get the same representative. Beyond
    /// `maxTiedOrders` orders the first is taken (sound, merges less).
    public func canonicalRenaming(of state: ICState) -> StateRenaming {
        let n = state.canisterCount
        var permutation = Array(0 ..< n)
        // Blocks of tied members (old indices) and the new indices they share.
        var ties: [(members: [Int], targets: [Int])] = []
        for group in groups.groups {
            let keys = group.map { memberKey($0, in: state) }
            let order = group.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
            var rank = 0
            while rank < order.count {
                var end = rank + 1
                while end < order.count, keys[order[end]] == keys[order[rank]] { end += 1 }
                let members = order[rank ..< end].map { group[$0].index }
                let targets = group[rank ..< end].map(\.index)
                for (member, target) in zip(members, targets) { permutation[member] = target }
                if members.count > 1 { ties.append((members, targets)) }
                rank = end
            }
        }
        let first = renaming(state, permutation)
        let orders = ties.reduce(1) { $0 * Self.factorial($1.members.count) }
        guard orders > 1, orders <= Self.maxTiedOrders else { return first }
        if isFixedBySwappingTies(first.stateAfter(state), ties.map(\.targets)) { return first }
        var best: (fingerprint: UInt64, renaming: StateRenaming)?
        for assignment in Self.assignments(ties.map { Self.permutations(of: $0.members) }) {
            var candidate = permutation
            for (block, members) in assignment.enumerated() {
                for (member, target) in zip(members, ties[block].targets) { candidate[member] = target }
            }
            let renaming = renaming(state, candidate)
            let fingerprint = renaming.stateAfter(state).fingerprint
            if best == nil || fingerprint < best!.fingerprint { best = (fingerprint, renaming) }
        }
        return best!.renaming
    }

    /// Whether swapping any two adjacent tied members of `candidate` (and renumbering calls)
    /// gives `candidate` back. Then every order of the tied members gives it (adjacent swaps
    /// generate them all, and renumbering after a swap does not depend on earlier numbering
    /// beyond the per-pair order it keeps), so the search over orders can be skipped: the common
    /// case of members that are alike in everything.
    private func isFixedBySwappingTies(_ candidate: ICState, _ blocks: [[Int]]) -> Bool {
        let fingerprint = candidate.fingerprint
        let involved = Self.involvement(in: candidate)
        for targets in blocks {
            for (a, b) in zip(targets, targets.dropFirst()) where involved[a] || involved[b] {
                var swap = Array(0 ..< candidate.canisterCount)
                swap.swapAt(a, b)
                if renaming(candidate, swap).stateAfter(candidate).fingerprint != fingerprint { return false }
            }
        }
        return true
    }

    /// Which canisters a call, message, context or history entry of `state` mentions. Swapping
    /// two tied members that nothing mentions changes nothing: their records and ingress are
    /// equal (the key covers them), and no other part of the state names them.
    static func involvement(in state: ICState) -> [Bool] {
        var involved = Array(repeating: false, count: state.canisterCount)
        let n = state.canisterCount
        for (index, queue) in state.queues.enumerated() where !queue.isEmpty {
            involved[index / n] = true
            involved[index % n] = true
        }
        for callback in state.openCallbacks {
            involved[callback.call.caller.index] = true
            involved[callback.callee.index] = true
        }
        for context in state.callContexts {
            involved[context.canister.index] = true
            if case .call(let call) = context.id { involved[call.caller.index] = true }
        }
        for response in state.responses {
            involved[response.call.caller.index] = true
            if let respondent = response.respondent { involved[respondent.index] = true }
        }
        let history = state.history
        for (call, record) in history.calls {
            involved[call.caller.index] = true
            involved[record.callee.index] = true
        }
        for pair in history.sent.keys { involved[pair.from.index] = true; involved[pair.to.index] = true }
        for pair in history.started.keys { involved[pair.from.index] = true; involved[pair.to.index] = true }
        return involved
    }

    /// The most orders of tied members tried per state (5! = 120 covers groups of five alike).
    public static let maxTiedOrders = 720

    private func renaming(_ state: ICState, _ permutation: [Int]) -> StateRenaming {
        var slots = Array(0 ..< slotCount)
        for (old, new) in permutation.enumerated() where old != new {
            for (rank, slot) in slotsOfCanister[old].enumerated() { slots[slot] = slotsOfCanister[new][rank] }
        }
        return StateRenaming(canisters: permutation, slots: slots, sequences: callNumbering(state, permutation))
    }

    /// The renaming that swaps `a` and `b` (and their ingress slots) and keeps call numbers.
    public func swapping(_ a: CanisterId, _ b: CanisterId, canisters: Int) -> StateRenaming {
        var permutation = Array(0 ..< canisters)
        permutation.swapAt(a.index, b.index)
        var slots = Array(0 ..< slotCount)
        for (old, new) in [(a.index, b.index), (b.index, a.index)] {
            for (rank, slot) in slotsOfCanister[old].enumerated() { slots[slot] = slotsOfCanister[new][rank] }
        }
        return StateRenaming(canisters: permutation, slots: slots, sequences: [])
    }

    static func factorial(_ k: Int) -> Int { k <= 1 ? 1 : (2 ... k).reduce(1) { $0 > Int.max / $1 ? Int.max : $0 * $1 } }

    static func permutations(of items: [Int]) -> [[Int]] {
        guard items.count > 1 else { return [items] }
        var result: [[Int]] = []
        for (index, first) in items.enumerated() {
            var rest = items
            rest.remove(at: index)
            for tail in permutations(of: rest) { result.append([first] + tail) }
        }
        return result
    }

    /// Every choice of one permutation per block.
    static func assignments(_ blocks: [[[Int]]]) -> [[[Int]]] {
        blocks.reduce([[]]) { partial, options in partial.flatMap { prefix in options.map { prefix + [$0] } } }
    }

    /// Live calls renumbered per (renamed) caller: by renamed callee, then by original number
    /// (the order of one pair's calls, which the semantics reads, is kept). A call only a
    /// response in flight mentions (its callback and records gone) has no known callee; such
    /// calls come last, ordered by their responses, which do not depend on names. A caller
    /// whose live calls keep their numbers gets an empty list (which keeps every number): the
    /// common case, and the one that costs no allocation per caller. Runs once per successor
    /// under symmetry, so it works in one flat buffer.
    private func callNumbering(_ state: ICState, _ permutation: [Int]) -> [[Int]] {
        let records = state.canisters
        // callee[offsets[caller] + sequence]: the renamed callee, Int.max if unknown, -1 if not mentioned.
        var offsets = [Int](repeating: 0, count: records.count + 1)
        for index in records.indices { offsets[index + 1] = offsets[index] + records[index].nextCallSequence }
        var callee = [Int](repeating: -1, count: offsets[records.count])
        func note(_ call: CallId, _ to: CanisterId?) {
            let caller = call.caller.index
            guard call.sequence < offsets[caller + 1] - offsets[caller] else { return }
            let slot = offsets[caller] + call.sequence
            if let to { callee[slot] = permutation[to.index] } else if callee[slot] < 0 { callee[slot] = Int.max }
        }
        let queues = state.queues
        for queue in queues.indices { for index in queues[queue].indices { note(queues[queue][index].call, queues[queue][index].callee) } }
        let callbacks = state.openCallbacks
        for index in callbacks.indices {
            note(callbacks[index].call, callbacks[index].callee)
            if case .call(let call) = callbacks[index].callerContext { note(call, nil) }
        }
        let contexts = state.callContexts
        for index in contexts.indices { if case .call(let call) = contexts[index].id { note(call, contexts[index].canister) } }
        let responses = state.responses
        for index in responses.indices { note(responses[index].call, responses[index].respondent) }
        let history = state.history
        for (call, record) in history.calls { note(call, record.callee) }
        for (pair, calls) in history.sent { for call in calls { note(call, pair.to) } }
        for (pair, calls) in history.started { for call in calls { note(call, pair.to) } }
        // Contents of the responses of calls without a known callee.
        var contents: [CallId: UInt64] = [:]
        for index in responses.indices {
            let response = responses[index]
            guard callee[offsets[response.call.caller.index] + response.call.sequence] == Int.max else { continue }
            var hasher = FingerprintHasher(seed: contents[response.call] ?? 9)
            hasher.combine(response.response)
            hasher.combine(response.refund)
            hasher.combine(response.isSystemNotice)
            contents[response.call] = hasher.finalize()
        }
        var result = [[Int]](repeating: [], count: records.count)
        var live: [Int] = []
        for caller in records.indices {
            let base = offsets[caller]
            func content(_ sequence: Int) -> UInt64 { contents[CallId(caller: CanisterId(caller), sequence: sequence)] ?? 0 }
            func precedes(_ a: Int, _ b: Int) -> Bool {
                let (targetA, targetB) = (callee[base + a], callee[base + b])
                if targetA != targetB { return targetA < targetB }
                if targetA == Int.max, content(a) != content(b) { return content(a) < content(b) }
                return a < b
            }
            live.removeAll(keepingCapacity: true)
            for sequence in 0 ..< offsets[caller + 1] - base where callee[base + sequence] >= 0 { live.append(sequence) }
            // Already in order: every live call keeps its rank only if ranks equal numbers.
            if zip(live, live.dropFirst()).allSatisfy({ precedes($0, $1) }),
                live.enumerated().allSatisfy({ $0.offset == $0.element })
            {
                continue
            }
            live.sort(by: precedes)
            var numbers = [Int](repeating: -1, count: offsets[caller + 1] - base)
            for (rank, sequence) in live.enumerated() { numbers[sequence] = rank }
            result[caller] = numbers
        }
        return result
    }

    /// A call context in a member's key: what it holds, and who it is seen from (`counterpart`).
    private static func contextItem(_ context: CallContext, seed: UInt64, counterpart: Int) -> UInt64 {
        var item = FingerprintHasher(seed: seed)
        item.combine(counterpart)
        item.combine(context.needsToRespond)
        item.combine(context.deleted)
        item.combine(context.availableCycles)
        item.combine(context.deadline)
        return item.finalize()
    }

    /// An open callback in a member's key: what it holds, and the canister at its other end.
    private static func callbackItem(_ callback: Callback, seed: UInt64, counterpart: Int) -> UInt64 {
        var item = FingerprintHasher(seed: seed)
        item.combine(counterpart)
        item.combine(callback.continuation)
        item.combine(callback.kind)
        item.combine(callback.attachedCycles)
        item.combine(callback.deadline)
        item.combine(callback.expired)
        item.combine(callback.hasCleanup)
        return item.finalize()
    }

    /// How `other` appears in a member's key: by index if outside every group, by group otherwise.
    private func role(of other: CanisterId, from member: CanisterId) -> Int {
        if other == member { return -1 }
        let group = groupOf[other.index]
        return group < 0 ? other.index : -2 - group
    }

    private func queueItem(_ queue: [QueuedRequest], direction: Int, role: Int) -> UInt64? {
        guard !queue.isEmpty else { return nil }
        var item = FingerprintHasher(seed: 1)
        item.combine(direction)
        item.combine(role)
        for request in queue {
            item.combine(request.method)
            item.combine(request.arguments)
            item.combine(request.cycles)
            item.combine(request.kind)
            item.combine(request.deadline)
            item.combine(request.deliveries)
        }
        return item.finalize()
    }

    /// Everything `member` has, without other members' identities or call numbers; multisets
    /// are hashed in sorted order.
    func memberKey(_ member: CanisterId, in state: ICState) -> UInt64 {
        var hasher = FingerprintHasher()
        hasher.combine(state[canister: member])
        for slot in slotsOfCanister[member.index] {
            hasher.combine(state.ingress[slot])
            hasher.combine(state.history.ingressResponses[slot])
        }
        var items: [UInt64] = []
        items.reserveCapacity(16)
        let n = state.canisterCount
        let queues = state.queues
        let (contexts, callbacks, responses) = (state.callContexts, state.openCallbacks, state.responses)
        for other in 0 ..< n {
            let role = role(of: CanisterId(other), from: member)
            if let item = queueItem(queues[member.index * n + other], direction: 0, role: role) { items.append(item) }
            if other != member.index, let item = queueItem(queues[other * n + member.index], direction: 1, role: role) {
                items.append(item)
            }
        }
        for index in contexts.indices where contexts[index].canister == member {
            let context = contexts[index]
            let origin: Int
            switch context.id {
            case .ingress(let slot): origin = slotsOfCanister[member.index].firstIndex(of: slot) ?? -1
            case .call(let call): origin = role(of: call.caller, from: member)
            case .systemTask(_, let sequence): origin = -2 - sequence
            }
            items.append(Self.contextItem(context, seed: 2, counterpart: origin))
        }
        for index in callbacks.indices where callbacks[index].call.caller == member {
            items.append(Self.callbackItem(callbacks[index], seed: 3, counterpart: role(of: callbacks[index].callee, from: member)))
        }
        // What other canisters hold about the member: their callbacks of calls to it, and the
        // contexts its calls created at them.
        for index in callbacks.indices where callbacks[index].callee == member && callbacks[index].call.caller != member {
            items.append(Self.callbackItem(callbacks[index], seed: 10, counterpart: role(of: callbacks[index].call.caller, from: member)))
        }
        for index in contexts.indices where contexts[index].canister != member {
            guard case .call(let call) = contexts[index].id, call.caller == member else { continue }
            items.append(Self.contextItem(contexts[index], seed: 11, counterpart: role(of: contexts[index].canister, from: member)))
        }
        for index in responses.indices where responses[index].call.caller == member {
            let response = responses[index]
            var item = FingerprintHasher(seed: 4)
            item.combine(response.response)
            item.combine(response.refund)
            item.combine(response.isSystemNotice)
            if let respondent = response.respondent { item.combine(role(of: respondent, from: member)) }
            items.append(item.finalize())
        }
        // The responses the member sent that their callers have not consumed yet.
        for index in responses.indices where responses[index].respondent == member && responses[index].call.caller != member {
            let response = responses[index]
            var item = FingerprintHasher(seed: 12)
            item.combine(response.response)
            item.combine(response.refund)
            item.combine(role(of: response.call.caller, from: member))
            items.append(item.finalize())
        }
        for (call, record) in state.history.calls where call.caller == member || record.callee == member {
            var item = FingerprintHasher(seed: 5)
            item.combine(role(of: call.caller, from: member))
            item.combine(role(of: record.callee, from: member))
            item.combine(record.method)
            item.combine(record.kind)
            item.combine(record.attached)
            item.combine(record.deadline)
            item.combine(record.executions)
            item.combine(record.calleeResponse)
            item.combine(record.accepted)
            item.combine(record.deliveredResponses)
            item.combine(record.refunded)
            item.combine(record.lost)
            item.combine(record.returned)
            items.append(item.finalize())
        }
        for (seed, order) in [(6, state.history.sent), (7, state.history.started)] {
            for (pair, calls) in order where pair.from == member || pair.to == member {
                var item = FingerprintHasher(seed: UInt64(seed))
                item.combine(role(of: pair.from, from: member))
                item.combine(role(of: pair.to, from: member))
                item.combine(calls.count)
                items.append(item.finalize())
            }
        }
        items.sort()
        for item in items { hasher.combine(item) }
        return hasher.finalize()
    }
}
