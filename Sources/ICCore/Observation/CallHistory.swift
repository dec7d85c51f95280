import ModelChecking

/// An ordered pair of canisters: the unit of request ordering (P3).
public struct QueuePair: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, Fingerprintable {
    public let from: CanisterId
    public let to: CanisterId

    public init(from: CanisterId, to: CanisterId) {
        self.from = from
        self.to = to
    }

    public static func < (lhs: QueuePair, rhs: QueuePair) -> Bool { (lhs.from, lhs.to) < (rhs.from, rhs.to) }
    public var description: String { "\(from)→\(to)" }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(from)
        hasher.combine(to)
    }
}

/// Ghost history of one call: what the properties P6-P11 are stated over. Both the model and
/// the executor keep it, with the same update rules (ic-semantics.md §5).
public struct CallRecord: Hashable, Sendable, Codable, Fingerprintable {
    public let callee: CanisterId
    public let method: String
    public let kind: CallKind
    public let attached: Cycles
    /// Absolute deadline of a best-effort call.
    public let deadline: Time?
    /// Call contexts created at the callee for this request (P6: at most one).
    public var executions: Int = 0
    /// The first response the callee's code produced (reply or reject), if any.
    public var calleeResponse: Response?
    /// Cycles the callee accepted.
    public var accepted: Cycles = 0
    /// Responses delivered to the caller (callback run, or refund-only for a deleted context),
    /// in order (P7: at most one).
    public var deliveredResponses: [Response] = []
    /// Cycles refunded to the caller's balance.
    public var refunded: Cycles = 0
    /// Cycles of this call that went to the lost-cycles sink (best effort only, P11).
    public var lost: Cycles = 0
    /// Cycles of this call's dropped messages returned to the caller's balance without a
    /// callback (`CycleRefunds.replica`'s anonymous refunds; best effort only).
    public var returned: Cycles = 0

    public init(callee: CanisterId, method: String, kind: CallKind, attached: Cycles, deadline: Time?) {
        self.callee = callee
        self.method = method
        self.kind = kind
        self.attached = attached
        self.deadline = deadline
    }

    public var deliveredResponse: Response? { deliveredResponses.first }

    /// The same record with another callee and deadline: for renamings of canisters (symmetry)
    /// and of the clock (relative time), which must keep every other field.
    public func relabelled(callee: CanisterId, deadline: Time?) -> CallRecord {
        var moved = CallRecord(callee: callee, method: method, kind: kind, attached: attached, deadline: deadline)
        moved.executions = executions
        moved.calleeResponse = calleeResponse
        moved.accepted = accepted
        moved.deliveredResponses = deliveredResponses
        moved.refunded = refunded
        moved.lost = lost
        moved.returned = returned
        return moved
    }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(callee)
        hasher.combine(method)
        hasher.combine(kind)
        hasher.combine(attached)
        hasher.combine(deadline)
        hasher.combine(executions)
        hasher.combine(calleeResponse)
        hasher.combine(accepted)
        hasher.combine(deliveredResponses)
        hasher.combine(refunded)
        hasher.combine(lost)
        hasher.combine(returned)
    }
}

/// The ghost history of a run: per call, per pair send/start order, ingress outcomes.
///
/// The model changes one call's record per step; `updateCall(_:_:)`, `insertCall(_:_:)` and
/// `appendSent(_:_:)` / `appendStarted(_:_:)` keep digests of the dictionaries up to date, so the
/// fingerprint does not walk every record of a long history. Plain mutation through the
/// properties is always correct too: it drops the digest, which is then recomputed.
public struct CallHistory: Hashable, Sendable, Codable, Fingerprintable {
    public var calls: [CallId: CallRecord] {
        get { storedCalls }
        _modify {
            callsDigest = nil
            yield &storedCalls
        }
    }
    /// Per pair, the calls in the order they were sent.
    public var sent: [QueuePair: [CallId]] {
        get { storedSent }
        _modify {
            sentDigest = nil
            yield &storedSent
        }
    }
    /// Per pair, the calls in the order they started executing at the callee.
    public var started: [QueuePair: [CallId]] {
        get { storedStarted }
        _modify {
            startedDigest = nil
            yield &storedStarted
        }
    }
    /// The response each ingress message got (by slot).
    public var ingressResponses: [Int: Response] = [:]
    /// Per canister, the upgrades a trapping `pre_upgrade`/`post_upgrade` aborted (absent: none).
    public var failedUpgrades: [CanisterId: Int] = [:]

    /// Whether nothing is recorded, in any part: renamings (symmetry) and other whole-history
    /// rewrites ask this one question, so a part added here is not left out of them.
    public var isEmpty: Bool {
        storedCalls.isEmpty && storedSent.isEmpty && storedStarted.isEmpty && ingressResponses.isEmpty && failedUpgrades.isEmpty
    }

    private var storedCalls: [CallId: CallRecord] = [:]
    private var storedSent: [QueuePair: [CallId]] = [:]
    private var storedStarted: [QueuePair: [CallId]] = [:]
    private var callsDigest: DictionaryDigest? = DictionaryDigest()
    private var sentDigest: DictionaryDigest? = DictionaryDigest()
    private var startedDigest: DictionaryDigest? = DictionaryDigest()

    public init() {}

    /// Records a new call (replacing any record it had).
    public mutating func insertCall(_ call: CallId, _ record: CallRecord) {
        var digest = callsDigest ?? DictionaryDigest(of: storedCalls)
        if let old = storedCalls.updateValue(record, forKey: call) { digest.remove(call, old) }
        digest.insert(call, record)
        callsDigest = digest
    }

    /// Applies `update` to the record of `call`, if it has one.
    public mutating func updateCall(_ call: CallId, _ update: (inout CallRecord) -> Void) {
        guard var record = storedCalls[call] else { return }
        var digest = callsDigest ?? DictionaryDigest(of: storedCalls)
        digest.remove(call, record)
        update(&record)
        digest.insert(call, record)
        storedCalls[call] = record
        callsDigest = digest
    }

    /// Appends `call` to the send order of `pair`.
    public mutating func appendSent(_ call: CallId, _ pair: QueuePair) {
        Self.append(call, pair, to: &storedSent, digest: &sentDigest)
    }

    /// Appends `call` to the start order of `pair`.
    public mutating func appendStarted(_ call: CallId, _ pair: QueuePair) {
        Self.append(call, pair, to: &storedStarted, digest: &startedDigest)
    }

    private static func append(_ call: CallId, _ pair: QueuePair, to order: inout [QueuePair: [CallId]], digest: inout DictionaryDigest?) {
        var updated = digest ?? DictionaryDigest(of: order)
        var calls = order.removeValue(forKey: pair) ?? []
        if !calls.isEmpty { updated.remove(pair, calls) }
        calls.append(call)
        updated.insert(pair, calls)
        order[pair] = calls
        digest = updated
    }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        if let callsDigest { hasher.combine(callsDigest) } else { hasher.combine(storedCalls) }
        if let sentDigest { hasher.combine(sentDigest) } else { hasher.combine(storedSent) }
        if let startedDigest { hasher.combine(startedDigest) } else { hasher.combine(storedStarted) }
        hasher.combine(ingressResponses)
        // Only when there are any: histories without failed upgrades keep their fingerprints.
        if !failedUpgrades.isEmpty { hasher.combine(failedUpgrades) }
    }

    public static func == (lhs: CallHistory, rhs: CallHistory) -> Bool {
        lhs.storedCalls == rhs.storedCalls && lhs.storedSent == rhs.storedSent && lhs.storedStarted == rhs.storedStarted
            && lhs.ingressResponses == rhs.ingressResponses && lhs.failedUpgrades == rhs.failedUpgrades
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storedCalls)
        hasher.combine(storedSent)
        hasher.combine(storedStarted)
        hasher.combine(ingressResponses)
        hasher.combine(failedUpgrades)
    }

    // Dictionaries with non-String keys encode as flat arrays in Swift; encode sorted lists of
    // entries instead so that traces are readable and deterministic.
    private enum CodingKeys: String, CodingKey { case calls, sent, started, ingressResponses, failedUpgrades }
    private struct CallEntry: Codable { let call: CallId; let record: CallRecord }
    private struct PairEntry: Codable { let pair: QueuePair; let calls: [CallId] }
    private struct IngressEntry: Codable { let slot: Int; let response: Response }
    private struct UpgradeEntry: Codable { let canister: CanisterId; let failed: Int }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        for entry in try container.decode([CallEntry].self, forKey: .calls) { calls[entry.call] = entry.record }
        for entry in try container.decode([PairEntry].self, forKey: .sent) { sent[entry.pair] = entry.calls }
        for entry in try container.decode([PairEntry].self, forKey: .started) { started[entry.pair] = entry.calls }
        for entry in try container.decode([IngressEntry].self, forKey: .ingressResponses) {
            ingressResponses[entry.slot] = entry.response
        }
        for entry in try container.decodeIfPresent([UpgradeEntry].self, forKey: .failedUpgrades) ?? [] {
            failedUpgrades[entry.canister] = entry.failed
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(calls.keys.sorted().map { CallEntry(call: $0, record: calls[$0]!) }, forKey: .calls)
        try container.encode(sent.keys.sorted().map { PairEntry(pair: $0, calls: sent[$0]!) }, forKey: .sent)
        try container.encode(started.keys.sorted().map { PairEntry(pair: $0, calls: started[$0]!) }, forKey: .started)
        try container.encode(
            ingressResponses.keys.sorted().map { IngressEntry(slot: $0, response: ingressResponses[$0]!) },
            forKey: .ingressResponses
        )
        // Written only when there are any, so traces of runs without upgrades keep their form.
        if !failedUpgrades.isEmpty {
            try container.encode(
                failedUpgrades.keys.sorted().map { UpgradeEntry(canister: $0, failed: failedUpgrades[$0]!) }, forKey: .failedUpgrades)
        }
    }
}
