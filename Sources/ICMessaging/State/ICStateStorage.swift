import ICCore
import ModelChecking

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
    @exclusivity(unchecked) @usableFromInline var ingress: [IngressStatus]
    @exclusivity(unchecked) @usableFromInline var now: Time
    @exclusivity(unchecked) @usableFromInline var lostCycles: Cycles
    @exclusivity(unchecked) @usableFromInline var controllerActionsUsed: Int
    @usableFromInline let initialTotalCycles: Cycles
    @usableFromInline let recording: HistoryObservation
    @exclusivity(unchecked) @usableFromInline var monitors: MonitorStates

    @usableFromInline
    init(
        canisters: FingerprintCached<[CanisterRecord]>, queues: FingerprintCached<RequestQueues>,
        responses: FingerprintCached<[InFlightResponse]>, contexts: FingerprintCached<[CallContext]>,
        callbacks: FingerprintCached<[Callback]>, history: FingerprintCached<CallHistory>, ingress: [IngressStatus],
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

    /// Field-by-field equality (the boxed components compare their cached fingerprints first).
    func hasEqualFields(_ other: ICStateStorage) -> Bool {
        now == other.now && lostCycles == other.lostCycles && controllerActionsUsed == other.controllerActionsUsed
            && initialTotalCycles == other.initialTotalCycles && recording == other.recording && ingress == other.ingress
            && canisters == other.canisters && queues == other.queues && responses == other.responses
            && contexts == other.contexts && callbacks == other.callbacks && history == other.history
            && monitors == other.monitors
    }
}
