import ICCore
import ModelChecking

/// Symmetry reduction: replaces each state by a representative of its class under swapping the
/// members of each `SymmetryGroups` group and renaming live calls.
///
/// The representative sorts each group's members by their own keys (record and ingress) where
/// those tell them apart, else by a key computed from everything a member has (program state,
/// balance, status, its queues, contexts, callbacks, responses, history, with other members'
/// names and call numbers left out), ties tried in every order; then it numbers
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
    /// The groups and the tables derived from them, in one shared box: the closures of
    /// `reduce` capture `self`, and a copy of three arrays (the groups' among them) cost a
    /// retain and a release each, twice per representative.
    private final class Tables: Sendable {
        let groups: SymmetryGroups
        let slotsOfCanister: [[Int]]
        let slotCount: Int
        let groupOf: [Int]

        init(groups: SymmetryGroups, slotsOfCanister: [[Int]], slotCount: Int, groupOf: [Int]) {
            self.groups = groups
            self.slotsOfCanister = slotsOfCanister
            self.slotCount = slotCount
            self.groupOf = groupOf
        }
    }

    private let tables: Tables
    public var groups: SymmetryGroups { tables.groups }
    var slotsOfCanister: [[Int]] { tables.slotsOfCanister }
    var slotCount: Int { tables.slotCount }
    /// `groupOf[i]` is the group of canister `i`, or -1.
    var groupOf: [Int] { tables.groupOf }
    /// Whether tied members are always checked by renaming the state, even where their keys
    /// alone show that every order gives the same representative (for the tests that compare
    /// both ways).
    public var checksEveryTie = false

    public init(groups: SymmetryGroups, configuration: SystemConfiguration) {
        var groupOf = Array(repeating: -1, count: configuration.canisters.count)
        for (index, group) in groups.groups.enumerated() { for member in group { groupOf[member.index] = index } }
        tables = Tables(
            groups: groups, slotsOfCanister: SymmetryGroups.slots(of: configuration), slotCount: configuration.ingress.count, groupOf: groupOf)
    }

    /// The representative of `state` and the renaming that produced it from `state`: members
    /// sorted by key; members with equal keys are tried in every order and the order whose
    /// renamed state has the smallest fingerprint wins, so that equivalent states get the same
    /// representative. Beyond `maxTiedOrders` orders the first is taken (sound, merges less).
    public func canonical(_ state: ICState) -> (state: ICState, renaming: StateRenaming) {
        let (representative, renaming) = reduce(state)
        return (representative, renaming ?? .identity(canisters: state.canisterCount, slots: slotCount))
    }

    /// The representative of `state` (`canonical(_:)` without the renaming, which a search does
    /// not need: most states are their own representatives, and then nothing is allocated).
    public func representative(of state: ICState) -> ICState { reduce(state).state }

    /// `canonical(_:)`, with `nil` for the identity renaming. The live calls, keys and sorted
    /// order live in temporary buffers: a heap array each cost more than the sort itself.
    private func reduce(_ state: ICState) -> (state: ICState, renaming: StateRenaming?) {
        let n = state.canisterCount
        return LiveCalls.with(state) { live in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { keys in
                // Own keys first: where they tell every group's members apart they order them, and
                // the full keys (most of a representative's cost) are not needed.
                let related = ownKeysTellMembersApart(in: state, into: keys) ? GroupRelations() : extendKeysWithCalls(in: state, live: live, keys: keys)
                return withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { order in
                    let tied = sortMembers(by: keys, into: order)
                    let sequences = callNumbering(live, UnsafeBufferPointer(order))
                    if !tied, sequences.isEmpty, order.indices.allSatisfy({ order[$0] == $0 }) { return (state, nil) }
                    let first = renaming(Array(order), sequences: sequences)
                    let identity = first.isIdentity
                    let firstState = identity ? state : first.stateAfter(state)
                    let firstRenaming = identity ? nil : first
                    guard tied else { return (firstState, firstRenaming) }
                    return bestOrder(state, live: live, keys: keys, related: related, first: (firstState, firstRenaming, first.canisters))
                }
            }
        }
    }

    /// Fills `permutation` (old index to new) with each group's members sorted by key, equal
    /// keys by index; whether two members of a group have equal keys. A member's place is the
    /// number of members before it (groups are small: no array to sort).
    private func sortMembers(by keys: UnsafeMutableBufferPointer<UInt64>, into permutation: UnsafeMutableBufferPointer<Int>) -> Bool {
        for index in permutation.indices { permutation[index] = index }
        var tied = false
        for group in groups.groups {
            for position in group.indices {
                let key = keys[group[position].index]
                var place = 0
                for other in group.indices where other != position {
                    let otherKey = keys[group[other].index]
                    if otherKey == key { tied = true }
                    if otherKey < key || (otherKey == key && other < position) { place += 1 }
                }
                permutation[group[position].index] = group[place].index
            }
        }
        return tied
    }

    /// Where members tie: the representative over every order of tied members (see
    /// `canonical(_:)`), starting from `first`, the one for the order by index.
    private func bestOrder(
        _ state: ICState, live: LiveCalls, keys: UnsafeMutableBufferPointer<UInt64>, related: GroupRelations,
        first: (state: ICState, renaming: StateRenaming?, permutation: [Int])
    ) -> (state: ICState, renaming: StateRenaming?) {
        // Blocks of tied members (old indices) and the new indices they share.
        var ties: [(members: [Int], targets: [Int])] = []
        for group in groups.groups {
            let order = group.indices.sorted {
                let (a, b) = (keys[group[$0].index], keys[group[$1].index])
                return a != b ? a < b : $0 < $1
            }
            var rank = 0
            while rank < order.count {
                var end = rank + 1
                while end < order.count, keys[group[order[end]].index] == keys[group[order[rank]].index] { end += 1 }
                if end - rank > 1 { ties.append((order[rank ..< end].map { group[$0].index }, group[rank ..< end].map(\.index))) }
                rank = end
            }
        }
        let orders = ties.reduce(1) { $0 * Self.factorial($1.members.count) }
        guard orders > 1, orders <= Self.maxTiedOrders else { return (first.state, first.renaming) }
        // Tied members that relate to no other member of a group: their keys say everything.
        if !checksEveryTie, !ties.contains(where: { $0.members.contains(where: related.contains) }) { return (first.state, first.renaming) }
        if isFixedBySwappingTies(first.state, ties.map(\.targets)) { return (first.state, first.renaming) }
        var best = (fingerprint: first.state.fingerprint, state: first.state, renaming: first.renaming)
        for assignment in Self.assignments(ties.map { Self.permutations(of: $0.members) }) {
            var candidate = first.permutation
            for (block, members) in assignment.enumerated() {
                for (member, target) in zip(members, ties[block].targets) { candidate[member] = target }
            }
            guard candidate != first.permutation else { continue }
            let renaming = renaming(candidate, sequences: candidate.withUnsafeBufferPointer { callNumbering(live, $0) })
            let renamed = renaming.stateAfter(state)
            let fingerprint = renamed.fingerprint
            if fingerprint < best.fingerprint { best = (fingerprint, renamed, renaming) }
        }
        return (best.state, best.renaming)
    }

    /// Whether swapping any two adjacent tied members of `candidate` (and renumbering calls)
    /// gives `candidate` back. Then every order of the tied members gives it (adjacent swaps
    /// generate them all, and renumbering after a swap does not depend on earlier numbering
    /// beyond the per-pair order it keeps), so the search over orders can be skipped: the common
    /// case of members that are alike in everything.
    private func isFixedBySwappingTies(_ candidate: ICState, _ blocks: [[Int]]) -> Bool {
        let fingerprint = candidate.fingerprint
        let involved = Self.involvement(in: candidate)
        return LiveCalls.with(candidate) { live in
            for targets in blocks {
                for (a, b) in zip(targets, targets.dropFirst()) where involved[a] || involved[b] {
                    var swap = Array(0 ..< candidate.canisterCount)
                    swap.swapAt(a, b)
                    let sequences = swap.withUnsafeBufferPointer { callNumbering(live, $0) }
                    if renaming(swap, sequences: sequences).stateAfter(candidate).fingerprint != fingerprint { return false }
                }
            }
            return true
        }
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

    /// The renaming that moves canisters by `permutation` (their ingress slots with them) and
    /// renumbers calls by `sequences` (`callNumbering`).
    private func renaming(_ permutation: [Int], sequences: [[Int]]) -> StateRenaming {
        // The slot lists are read in place (iterating them copied each one). `Array(0 ..< n)`, not
        // `Array(repeating:count:)`, whose unspecialised allocation cost about 1,100 instructions.
        var slots = Array(0 ..< slotCount)
        slots.withUnsafeMutableBufferPointer { slots in
            slotsOfCanister.withUnsafeBufferPointer { slotsOf in
                for old in permutation.indices where permutation[old] != old {
                    slotsOf[old].withUnsafeBufferPointer { from in
                        slotsOf[permutation[old]].withUnsafeBufferPointer { to in
                            for rank in from.indices { slots[from[rank]] = to[rank] }
                        }
                    }
                }
            }
        }
        return StateRenaming(canisters: permutation, slots: slots, sequences: sequences)
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
    /// common case, and the one that costs no allocation per caller.
    private func callNumbering(_ live: LiveCalls, _ permutation: UnsafeBufferPointer<Int>) -> [[Int]] {
        let n = permutation.count
        var result: [[Int]] = []
        for caller in 0 ..< n {
            let base = live.offset(caller), count = live.offset(caller + 1) - base
            guard count > 0 else { continue }
            func target(_ sequence: Int) -> Int {
                let callee = live.callee(base + sequence)
                return callee >= 0 && callee < n ? permutation[callee] : callee
            }
            func precedes(_ a: Int, _ b: Int) -> Bool {
                let (targetA, targetB) = (target(a), target(b))
                if targetA != targetB { return targetA < targetB }
                if targetA == Int.max, live.answers(base + a) != live.answers(base + b) {
                    return live.answers(base + a) < live.answers(base + b)
                }
                return a < b
            }
            // Already in order: every live call keeps its rank only if ranks equal numbers.
            var rank = 0, previous = -1, keeps = true
            for sequence in 0 ..< count where live.isMentioned(base + sequence) {
                if sequence != rank || (previous >= 0 && !precedes(previous, sequence)) {
                    keeps = false
                    break
                }
                previous = sequence
                rank += 1
            }
            if keeps { continue }
            var calls = (0 ..< count).filter { live.isMentioned(base + $0) }
            calls.sort(by: precedes)
            var numbers = [Int](repeating: -1, count: count)
            for (rank, sequence) in calls.enumerated() { numbers[sequence] = rank }
            if result.isEmpty { result = [[Int]](repeating: [], count: n) }
            result[caller] = numbers
        }
        return result
    }
}
