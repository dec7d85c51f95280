import ICCore
import ModelChecking
import Synchronization

/// The fields of an `ICState`, in one box that states share until one of them changes.
///
/// Why a box: an IC state has eight reference-counted parts, and the search copies states
/// several times per step (a rule's scratch state, the execution runtime's view, the states the
/// monitors compare) and drops most successors at once (already visited). Copying eight
/// references cost about an eighth of a P1 check's instructions, destroying them as much
/// again. Shared, a copy is one reference count; the first write to a shared box copies it
/// once (`ICState.uniqueStorage`).
///
/// `@unchecked Sendable`: a box is written only while exactly one state references it
/// (`isKnownUniquelyReferenced`), so no other thread can see it change.
@usableFromInline
final class ICStateStorage: @unchecked Sendable {
    @exclusivity(unchecked) @usableFromInline var canisters: FingerprintCached<[CanisterRecord]>
    @exclusivity(unchecked) @usableFromInline var queues: FingerprintCached<RequestQueues>
    @exclusivity(unchecked) @usableFromInline var responses: FingerprintCached<[InFlightResponse]>
    @exclusivity(unchecked) @usableFromInline var contexts: FingerprintCached<[CallContext]>
    @exclusivity(unchecked) @usableFromInline var callbacks: FingerprintCached<[Callback]>
    @exclusivity(unchecked) @usableFromInline var history: FingerprintCached<CallHistory>
    @exclusivity(unchecked) @usableFromInline var ingress: IngressStatuses
    @exclusivity(unchecked) @usableFromInline var now: Time
    @exclusivity(unchecked) @usableFromInline var lostCycles: Cycles
    @exclusivity(unchecked) @usableFromInline var controllerActionsUsed: Int
    @exclusivity(unchecked) @usableFromInline var initialTotalCycles: Cycles
    @exclusivity(unchecked) @usableFromInline var recording: HistoryObservation
    @exclusivity(unchecked) @usableFromInline var monitors: MonitorStates

    /// The words a fresh `FingerprintHasher` holds after this state's fields (see
    /// `ICState.fingerprint(into:)`), count 0 while unknown. Under symmetry reduction the
    /// search fingerprints most states twice (the concrete successor for the representatives'
    /// memo, then the stored one, often a representative fingerprinted before), and combining
    /// the fields cost about 300 instructions each time. Cleared by every write
    /// (`ICState.uniqueStorage`); atomic because states are shared between workers.
    @usableFromInline let digestState = Atomic<UInt64>(0)
    @usableFromInline let digestCount = Atomic<UInt64>(0)

    /// The remembered words, if any (the count is stored last, with release ordering).
    @inlinable @inline(__always)
    var knownDigest: FingerprintHasher? {
        let count = digestCount.load(ordering: .acquiring)
        guard count != 0 else { return nil }
        return FingerprintHasher(state: digestState.load(ordering: .relaxed), count: count)
    }

    @inlinable @inline(__always)
    func rememberDigest(_ hasher: FingerprintHasher) {
        let words = hasher.words
        digestState.store(words.state, ordering: .relaxed)
        digestCount.store(words.count, ordering: .releasing)
    }

    /// Forgets the remembered words, before a write (the box is then uniquely referenced).
    @inlinable @inline(__always)
    func forgetDigest() { digestCount.store(0, ordering: .relaxed) }

    // Spare component boxes (see `FingerprintCached.prepareWrite(reusing:copy:)`): the boxes an
    // earlier state held in this storage before `assign(from:)` replaced them, kept when nothing
    // else referenced them, for the next write to that component. Not part of the state.
    @exclusivity(unchecked) @usableFromInline var spareCanisters: FingerprintCached<[CanisterRecord]>?
    @exclusivity(unchecked) @usableFromInline var spareQueues: FingerprintCached<RequestQueues>?
    @exclusivity(unchecked) @usableFromInline var spareResponses: FingerprintCached<[InFlightResponse]>?
    @exclusivity(unchecked) @usableFromInline var spareContexts: FingerprintCached<[CallContext]>?
    @exclusivity(unchecked) @usableFromInline var spareCallbacks: FingerprintCached<[Callback]>?
    @exclusivity(unchecked) @usableFromInline var spareHistory: FingerprintCached<CallHistory>?

    @usableFromInline
    init(
        canisters: FingerprintCached<[CanisterRecord]>, queues: FingerprintCached<RequestQueues>,
        responses: FingerprintCached<[InFlightResponse]>, contexts: FingerprintCached<[CallContext]>,
        callbacks: FingerprintCached<[Callback]>, history: FingerprintCached<CallHistory>, ingress: IngressStatuses,
        now: Time, lostCycles: Cycles, controllerActionsUsed: Int, initialTotalCycles: Cycles, recording: HistoryObservation,
        monitors: MonitorStates
    ) {
        self.canisters = canisters
        self.queues = queues
        self.responses = responses
        self.contexts = contexts
        self.callbacks = callbacks
        self.history = history
        self.ingress = ingress
        self.now = now
        self.lostCycles = lostCycles
        self.controllerActionsUsed = controllerActionsUsed
        self.initialTotalCycles = initialTotalCycles
        self.recording = recording
        self.monitors = monitors
    }

    /// A fresh box with the same fields (for the first write to a shared one).
    @usableFromInline
    func copy() -> ICStateStorage {
        ICStateStorage(
            canisters: canisters, queues: queues, responses: responses, contexts: contexts, callbacks: callbacks,
            history: history, ingress: ingress, now: now, lostCycles: lostCycles, controllerActionsUsed: controllerActionsUsed,
            initialTotalCycles: initialTotalCycles, recording: recording, monitors: monitors)
    }

    /// A box with `source`'s fields for a state's first write: a spare box of this thread's
    /// pool (`ICState.recycle()`) if there is one, else a fresh one.
    @usableFromInline
    static func copy(of source: ICStateStorage) -> ICStateStorage {
        let pool = StoragePool.current
        guard let spare = pool.take() else { return source.copy() }
        spare.assign(from: source, pool: pool)
        return spare
    }

    /// Takes `source`'s fields. A spare box last held a sibling of the state being copied (a
    /// successor of the same parent), so most components are already the same boxes: those are
    /// left alone, which saves a release and a retain each. Empty spare slots are refilled from
    /// the thread's `pool`, which takes the unreferenced components a full slot cannot.
    private func assign(from source: ICStateStorage, pool: StoragePool) {
        Self.assign(&canisters, from: source.canisters, keepingSpare: &spareCanisters, pool: &pool.canisters)
        Self.assign(&queues, from: source.queues, keepingSpare: &spareQueues, pool: &pool.queues)
        Self.assign(&responses, from: source.responses, keepingSpare: &spareResponses, pool: &pool.responses)
        Self.assign(&contexts, from: source.contexts, keepingSpare: &spareContexts, pool: &pool.contexts)
        Self.assign(&callbacks, from: source.callbacks, keepingSpare: &spareCallbacks, pool: &pool.callbacks)
        Self.assign(&history, from: source.history, keepingSpare: &spareHistory, pool: &pool.history)
        ingress = source.ingress
        if !monitors.sharesStorage(with: source.monitors) { monitors = source.monitors }
        now = source.now
        lostCycles = source.lostCycles
        controllerActionsUsed = source.controllerActionsUsed
        initialTotalCycles = source.initialTotalCycles
        recording = source.recording
    }

    /// `component = source`, unless they already share a box; a box that nothing else
    /// references becomes the spare, or goes to the thread's `pool` if there is one already.
    /// Without a spare, the box takes one from the pool.
    @inline(__always)
    private static func assign<Value>(
        _ component: inout FingerprintCached<Value>, from source: FingerprintCached<Value>, keepingSpare spare: inout FingerprintCached<Value>?,
        pool: inout SpareComponents<Value>
    ) {
        if !component.isIdentical(to: source) {
            if component.isUniquelyReferenced() {
                if spare == nil { spare = component } else { pool.keep(component) }
            }
            component = source
        }
        if spare == nil { spare = pool.take() }
    }

    /// Field-by-field equality (the boxed components compare their cached fingerprints first).
    func hasEqualFields(_ other: ICStateStorage) -> Bool {
        now == other.now && lostCycles == other.lostCycles && controllerActionsUsed == other.controllerActionsUsed
            && initialTotalCycles == other.initialTotalCycles && recording == other.recording && ingress == other.ingress
            && canisters == other.canisters && queues == other.queues && responses == other.responses
            && contexts == other.contexts && callbacks == other.callbacks && history == other.history
            && monitors == other.monitors
    }
}
