import ICCore
import ModelChecking

// The keys symmetry reduction sorts group members by (see `SymmetryReduction`).
//
// A member's key hashes everything the member has, seen from the member: its record and ingress,
// its queues, contexts, callbacks and responses, and the other canisters' parts that concern it
// (their callbacks of calls to it, the contexts its calls created at them, the responses it sent
// them), with other canisters named by role (itself, a canister outside every group by index, a
// member of a group by its group) and without call numbers. Multisets are hashed in sorted order.
//
// The key decides only how often tied members must be tried in every order, never the verdict:
// the stronger it is, the fewer ties. Each item about a call therefore also carries the responses
// in flight for that call: members whose calls differ only in what answered them (a reply and a
// notice against a notice alone) are otherwise tied, and a group of five such members costs up to
// 5! renamed states per successor.

extension SymmetryReduction {
    /// Each member's own key (0 for canisters outside every group): its record, its ingress and
    /// the answers to it, and its failed upgrades, without the calls and messages between
    /// canisters; whether these tell the members of every group apart.
    ///
    /// Then they alone order the members (`SymmetryReduction.reduce`): the order is still a
    /// function of the state's class (own keys name no canister or call), and with no ties it
    /// needs no renamed state to compare. Computing them costs about a quarter of the full keys (no
    /// items to collect, sort and hash), and most successors' members differ in them. Otherwise
    /// `extendKeysWithCalls` makes them full keys.
    func ownKeysTellMembersApart(in state: ICState, into keys: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        let records = state.canisters, ingress = state.ingress
        // The history's parts are copied out of its box only when they hold anything (nearly never).
        let ingressResponses = state.history.ingressResponses.isEmpty ? nil : state.history.ingressResponses
        let failedUpgrades = state.history.failedUpgrades.isEmpty ? nil : state.history.failedUpgrades
        let groupOf = groupOf, slotsOfCanister = slotsOfCanister
        for member in keys.indices {
            guard groupOf[member] >= 0 else {
                keys[member] = 0
                continue
            }
            var hasher = FingerprintHasher()
            ownFields(of: member, records, ingress, slotsOfCanister, ingressResponses, failedUpgrades, into: &hasher)
            keys[member] = hasher.finalize()
        }
        for member in keys.indices where groupOf[member] >= 0 {
            for other in (member + 1) ..< keys.count where groupOf[other] == groupOf[member] && keys[other] == keys[member] { return false }
        }
        return true
    }

    /// Makes the own keys in `keys` (`ownKeysTellMembersApart`) every canister's full key, in
    /// one pass over the state: each member's own key followed by its sorted call items; and
    /// which group members relate to another group member (a request, context, callback,
    /// response or history entry between the two: `related`).
    ///
    /// Tied members that relate to no other member have equal keys only if every order of them
    /// gives the same representative: each of their calls, and each call of another canister to
    /// them, is keyed with its counterpart (by index: it is outside every group), its rank among
    /// that pair's calls, and everything the state holds about it, so that equal keys pair the
    /// two members' calls one to one, and renumbering after a swap gives each call the number
    /// its partner had.
    func extendKeysWithCalls(in state: ICState, live: LiveCalls, keys: UnsafeMutableBufferPointer<UInt64>) -> GroupRelations {
        // The history is copied out of its box only when it holds calls (a retain and a release
        // per part otherwise, for every successor).
        let history = state.hasCallHistory ? state.history : nil
        // Each queue, context, callback, response and history entry adds at most two items.
        var capacity = 2 * (state.queues.entries.count + state.callContexts.count + state.openCallbacks.count + state.responses.count)
        if let history { capacity += 2 * (history.calls.count + history.sent.count + history.started.count) }
        return withUnsafeTemporaryAllocation(of: (member: Int, item: UInt64).self, capacity: capacity) { buffer in
            var key = KeyItems(groupOf: groupOf, buffer: buffer)
            collectItems(state, history, live: live, into: &key)
            key.sortItems()
            let items = key.collected
            var next = 0
            for member in keys.indices where groupOf[member] >= 0 {
                var hasher = FingerprintHasher()
                hasher.combine(keys[member])
                while next < items.count, items[next].member < member { next += 1 }
                while next < items.count, items[next].member == member {
                    hasher.combine(items[next].item)
                    next += 1
                }
                keys[member] = hasher.finalize()
            }
            return key.related
        }
    }

    /// What a member's key holds about the member alone (see `ownKeysTellMembersApart`).
    @inline(__always)
    private func ownFields(
        of member: Int, _ records: [CanisterRecord], _ ingress: IngressStatuses, _ slotsOfCanister: [[Int]], _ ingressResponses: [Int: Response]?,
        _ failedUpgrades: [CanisterId: Int]?, into hasher: inout FingerprintHasher
    ) {
        records.withUnsafeBufferPointer { $0[member].fingerprint(into: &hasher) }
        // The slot list is read in place (iterating it copied it).
        slotsOfCanister.withUnsafeBufferPointer { slotsOf in
            slotsOf[member].withUnsafeBufferPointer { slots in
                for slot in slots {
                    hasher.combine(ingress[slot])
                    // No dictionary lookup where nothing is recorded (the same word as `nil`).
                    hasher.combine(ingressResponses?[slot])
                }
            }
        }
        if let failed = failedUpgrades?[CanisterId(member)] { hasher.combine(failed) }
    }

    /// The items of every member's key, unsorted.
    private func collectItems(_ state: ICState, _ history: CallHistory?, live: LiveCalls, into key: inout KeyItems) {
        let n = state.canisterCount
        // The non-empty queues between canisters only (looking up all n² cost a scan each).
        for entry in state.queues.entries(below: n * n) {
            let (from, to) = (entry.index / n, entry.index % n)
            guard groupOf[from] >= 0 || groupOf[to] >= 0 else { continue }
            key.relate(CanisterId(from), CanisterId(to))
            let contents = Self.queueContents(entry.requests, live: live)
            key.add(from, Self.queueItem(contents, direction: 0, role: role(of: CanisterId(to), from: CanisterId(from))))
            if from != to { key.add(to, Self.queueItem(contents, direction: 1, role: role(of: CanisterId(from), from: CanisterId(to)))) }
        }
        for context in state.callContexts {
            let member = context.canister
            switch context.id {
            case .ingress(let slot):
                key.add(member.index, Self.contextItem(context, seed: 2, counterpart: slotsOfCanister[member.index].firstIndex(of: slot) ?? -1, call: (-1, 0)))
            case .systemTask(_, let sequence):
                key.add(member.index, Self.contextItem(context, seed: 2, counterpart: -2 - sequence, call: (-1, 0)))
            case .call(let call):
                key.relate(call.caller, member)
                let facts = live.facts(of: call)
                key.add(member.index, Self.contextItem(context, seed: 2, counterpart: role(of: call.caller, from: member), call: facts))
                if call.caller != member {
                    key.add(call.caller.index, Self.contextItem(context, seed: 11, counterpart: role(of: member, from: call.caller), call: facts))
                }
            }
        }
        // Callbacks and responses are read in place: subscripting copied each element.
        state.openCallbacks.withUnsafeBufferPointer { addCallbackItems($0, canisters: n, live: live, to: &key) }
        state.responses.withUnsafeBufferPointer { addResponseItems($0, canisters: n, live: live, to: &key) }
        if let history { addHistoryItems(history, live: live, to: &key) }
    }

    /// The open callbacks, as items of their callers and callees.
    private func addCallbackItems(_ callbacks: UnsafeBufferPointer<Callback>, canisters n: Int, live: LiveCalls, to key: inout KeyItems) {
        for index in callbacks.indices {
            let (call, callee) = (callbacks[index].call, callbacks[index].callee)
            let caller = call.caller
            key.relate(caller, callee)
            let facts = live.facts(of: call)
            key.add(caller.index, Self.callbackItem(callbacks[index], seed: 3, counterpart: role(of: callee, from: caller), call: facts))
            if callee != caller, callee.index >= 0, callee.index < n {
                key.add(callee.index, Self.callbackItem(callbacks[index], seed: 10, counterpart: role(of: caller, from: callee), call: facts))
            }
        }
    }

    /// The responses in flight, as items of their callers and respondents.
    private func addResponseItems(
        _ responses: UnsafeBufferPointer<InFlightResponse>, canisters n: Int, live: LiveCalls, to key: inout KeyItems
    ) {
        for index in responses.indices {
            let caller = responses[index].call.caller
            var item = FingerprintHasher(seed: 4)
            item.combine(responses[index].contentFingerprint)
            item.combine(live.rank(of: responses[index].call))
            if let respondent = responses[index].respondent {
                key.relate(caller, respondent)
                item.combine(role(of: respondent, from: caller))
            }
            key.add(caller.index, item.finalize())
            // The responses a member sent that their callers have not consumed yet.
            if let respondent = responses[index].respondent, respondent != caller, respondent.index >= 0, respondent.index < n {
                var sent = FingerprintHasher(seed: 12)
                sent.combine(responses[index].contentFingerprint)
                sent.combine(role(of: caller, from: respondent))
                sent.combine(live.rank(of: responses[index].call))
                key.add(respondent.index, sent.finalize())
            }
        }
    }

    /// The history's calls and per-pair orders, as items of the members at either end.
    private func addHistoryItems(_ history: CallHistory, live: LiveCalls, to key: inout KeyItems) {
        for (call, record) in history.calls {
            key.relate(call.caller, record.callee)
            for end in 0 ..< (call.caller == record.callee ? 1 : 2) {
                let member = end == 0 ? call.caller : record.callee
                guard groupOf[member.index] >= 0 else { continue }
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
                item.combine(live.rank(of: call))
                key.add(member.index, item.finalize())
            }
        }
        for seed in 6 ... 7 {
            for (pair, calls) in seed == 6 ? history.sent : history.started {
                key.relate(pair.from, pair.to)
                for end in 0 ..< (pair.from == pair.to ? 1 : 2) {
                    let member = end == 0 ? pair.from : pair.to
                    guard groupOf[member.index] >= 0 else { continue }
                    var item = FingerprintHasher(seed: UInt64(seed))
                    item.combine(role(of: pair.from, from: member))
                    item.combine(role(of: pair.to, from: member))
                    item.combine(calls.count)
                    for call in calls { item.combine(live.rank(of: call)) }
                    key.add(member.index, item.finalize())
                }
            }
        }
    }

    /// How `other` appears in a member's key: by index if outside every group, by group otherwise.
    func role(of other: CanisterId, from member: CanisterId) -> Int {
        if other == member { return -1 }
        guard other.index >= 0, other.index < groupOf.count else { return Int.min }
        let group = groupOf[other.index]
        return group < 0 ? other.index : -2 - group
    }

    /// A queue's requests in order, without their call ids (but with their ranks among the pair's calls).
    private static func queueContents(_ queue: [QueuedRequest], live: LiveCalls) -> UInt64 {
        var item = FingerprintHasher(seed: 1)
        queue.withUnsafeBufferPointer { requests in
            for index in requests.indices {
                item.combine(live.rank(of: requests[index].call))
                item.combine(requests[index].contentFingerprint)
                item.combine(requests[index].deliveries)
            }
        }
        return item.finalize()
    }

    /// A queue in a member's key: its contents, which way it goes and the canister at its other end.
    private static func queueItem(_ contents: UInt64, direction: Int, role: Int) -> UInt64 {
        var item = FingerprintHasher(seed: 1)
        item.combine(direction)
        item.combine(role)
        item.combine(contents)
        return item.finalize()
    }

    /// A call context in a member's key: what it holds, who it is seen from (`counterpart`), and
    /// its call's rank and answers (`LiveCalls.facts(of:)`).
    private static func contextItem(_ context: CallContext, seed: UInt64, counterpart: Int, call: (rank: Int, answers: UInt64)) -> UInt64 {
        var item = FingerprintHasher(seed: seed)
        item.combine(counterpart)
        item.combine(context.needsToRespond)
        item.combine(context.deleted)
        item.combine(context.availableCycles)
        item.combine(context.deadline)
        item.combine(call.rank)
        item.combine(call.answers)
        return item.finalize()
    }

    /// An open callback in a member's key: what it holds, the canister at its other end, and its
    /// call's rank and answers (`LiveCalls.facts(of:)`).
    private static func callbackItem(_ callback: Callback, seed: UInt64, counterpart: Int, call: (rank: Int, answers: UInt64)) -> UInt64 {
        var item = FingerprintHasher(seed: seed)
        item.combine(counterpart)
        item.combine(callback.contentFingerprint)
        item.combine(callback.expired)
        item.combine(call.rank)
        item.combine(call.answers)
        return item.finalize()
    }
}

/// The items of the members' keys as they are collected, in a temporary buffer, and which
/// members relate to another group member (a value with mutating methods: closures capturing
/// local variables would make every access a dynamic exclusivity check, which cost a fifth of
/// the keys' instructions).
struct KeyItems {
    /// (member, item) pairs, sorted at the end so that each member's items form a sorted run.
    private let buffer: UnsafeMutableBufferPointer<(member: Int, item: UInt64)>
    private var count = 0
    var related = GroupRelations()
    let groupOf: [Int]

    init(groupOf: [Int], buffer: UnsafeMutableBufferPointer<(member: Int, item: UInt64)>) {
        self.groupOf = groupOf
        self.buffer = buffer
    }

    /// The items added so far.
    var collected: UnsafeMutableBufferPointer<(member: Int, item: UInt64)> { UnsafeMutableBufferPointer(rebasing: buffer[0 ..< count]) }

    mutating func add(_ member: Int, _ item: UInt64) {
        guard groupOf[member] >= 0 else { return }
        precondition(count < buffer.count, "more key items than the state has parts")
        (buffer.baseAddress! + count).initialize(to: (member, item))
        count += 1
    }

    /// Sorts the items by member, then item (insertion sort: a state has a few dozen at most).
    func sortItems() {
        let items = collected
        guard items.count > 1 else { return }
        for index in 1 ..< items.count {
            let moving = items[index]
            var position = index
            while position > 0, moving.member < items[position - 1].member
                || (moving.member == items[position - 1].member && moving.item < items[position - 1].item) {
                items[position] = items[position - 1]
                position -= 1
            }
            items[position] = moving
        }
    }

    /// Notes a request, context, callback, response or history entry between `a` and `b`.
    mutating func relate(_ a: CanisterId, _ b: CanisterId) {
        guard a != b, groupOf.indices.contains(a.index), groupOf.indices.contains(b.index), groupOf[a.index] >= 0, groupOf[b.index] >= 0
        else { return }
        related.insert(a.index)
        related.insert(b.index)
    }
}

/// The group members that relate to another member of a group, as bits (no allocation).
struct GroupRelations {
    private var bits: UInt64 = 0

    mutating func insert(_ member: Int) { if member < 64 { bits |= 1 << UInt64(member) } }

    /// Members past the 64th always count as related (their ties are then checked by renaming).
    func contains(_ member: Int) -> Bool { member >= 64 || bits & 1 << UInt64(member) != 0 }
}
