import ICCore
import ModelChecking
import Synchronization

/// An `ICState` waiting in the breadth-first frontier: one index per component into the
/// system's `FrontierTables` (SPIN's collapse compression). 28 bytes, whatever the state holds.
public struct QueuedICState: Sendable {
    let canisters: UInt32
    let queues: UInt32
    let responses: UInt32
    let contexts: UInt32
    let callbacks: UInt32
    let history: UInt32
    /// The plain-data fields, ingress statuses included (`ScalarFields`).
    let scalars: UInt32
}

/// An `ICState` on its way from a parallel search's worker to the merge
/// (`FrontierStorage.candidate(for:)`): per boxed component its id when the tables hold it
/// already (most components: carried over from the parent, the id is in the box's tag; or an
/// equal value in a new box, found in the table), else the box; no state box, which goes back
/// to the worker's pool at once (`ICState.recycle()`), with the boxes of components the tables
/// hold as its spares.
public struct ICCandidate: Sendable {
    let canisters: PendingComponent<[CanisterRecord]>
    let queues: PendingComponent<RequestQueues>
    let responses: PendingComponent<[InFlightResponse]>
    let contexts: PendingComponent<[CallContext]>
    let callbacks: PendingComponent<[Callback]>
    let history: PendingComponent<CallHistory>
    let scalars: ScalarFields
}

/// A component of an `ICCandidate`: its id in the tables, or the component to intern.
enum PendingComponent<Value: Hashable & Sendable & Fingerprintable>: Sendable {
    case known(UInt32)
    case fresh(FingerprintCached<Value>)

    /// From the box's tag if it carries `mark` (the tables' generation), else from `table` if it
    /// holds an equal value (the box is then tagged too), else the component, copied (retained)
    /// only then. Read-only on the table: any thread, while no one appends.
    @inline(__always)
    init(
        tag: UInt64, mark: UInt64, _ component: @autoclosure () -> FingerprintCached<Value>,
        in table: UnsafePointer<InternTable<FingerprintCached<Value>>>
    ) {
        if tag >> 32 == mark && tag != 0 {
            self = .known(UInt32(truncatingIfNeeded: tag))
            return
        }
        let component = component()
        if let id = table.pointee.existingId(of: component) {
            component.tag = mark << 32 | UInt64(id)
            self = .known(id)
        } else {
            self = .fresh(component)
        }
    }
}

/// The small fields of a state, interned together.
struct ScalarFields: Hashable, Sendable, Fingerprintable {
    let ingress: IngressStatuses
    let now: Time
    let lostCycles: Cycles
    let controllerActionsUsed: Int
    /// Small too, and constant along most steps.
    let monitors: MonitorStates

    /// The plain-data fields of `state`.
    @inline(__always)
    init(of state: ICState) {
        let storage = state.storage
        ingress = storage.ingress
        now = storage.now
        lostCycles = storage.lostCycles
        controllerActionsUsed = storage.controllerActionsUsed
        monitors = storage.monitors
    }

    func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(ingress)
        hasher.combine(now)
        hasher.combine(lostCycles)
        hasher.combine(controllerActionsUsed)
        if !monitors.isEmpty { hasher.combine(monitors) }
    }
}

/// The component tables behind `QueuedICState`. Components repeat across millions of states
/// (the same queue contents, the same program states), so a frontier entry stores 7 indices
/// and each distinct component once. The tables are rebuilt between levels when they hold
/// much more than the frontier still uses (a history that only grows makes most entries
/// unique), so they never outgrow the frontier by more than a constant factor.
///
/// One per search (`ICSystem.makeFrontier()`). `@unchecked Sendable` without a lock, by the
/// contract of `FrontierStorage`: `entry(for:)` and `compact(_:)` run on one thread at a time
/// and never while `state(of:)` runs; `state(of:)` runs on many threads at once and only reads
/// (entries never move).
public final class FrontierTables: FrontierStorage, @unchecked Sendable {
    public typealias State = ICState
    public typealias Entry = QueuedICState
    public typealias Candidate = ICCandidate

    let initialTotalCycles: Cycles
    let recording: HistoryObservation

    struct Tables {
        var canisters = InternTable<FingerprintCached<[CanisterRecord]>>()
        var queues = InternTable<FingerprintCached<RequestQueues>>()
        var responses = InternTable<FingerprintCached<[InFlightResponse]>>()
        var contexts = InternTable<FingerprintCached<[CallContext]>>()
        var callbacks = InternTable<FingerprintCached<[Callback]>>()
        var history = InternTable<FingerprintCached<CallHistory>>()
        var scalars = InternTable<ScalarFields>()

        var entryCount: Int {
            canisters.count + queues.count + responses.count + contexts.count + callbacks.count + history.count
                + scalars.count
        }

        mutating func release() {
            canisters.release()
            queues.release()
            responses.release()
            contexts.release()
            callbacks.release()
            history.release()
            scalars.release()
        }

        /// Distinguishes these tables' box tags from those of other tables (other searches, or
        /// these tables before a compaction).
        let generation = Tables.nextGeneration.add(1, ordering: .relaxed).newValue

        private static let nextGeneration = Atomic<UInt64>(0)

        mutating func queued(_ state: ICState) -> QueuedICState {
            // Each component's tag is read in place first (an inlined load): passing the
            // component along copied it, a retain and a release of its box per component and
            // state, on boxes that the expanding threads count too (a fifth of the reference
            // counting that two workers contend for on `bench-pubsub` 2 × 2).
            let storage = state.storage
            let mark = generation & 0xFFFF_FFFF
            @inline(__always) func known(_ tag: UInt64) -> UInt32? {
                tag >> 32 == mark && tag != 0 ? UInt32(truncatingIfNeeded: tag) : nil
            }
            return QueuedICState(
                canisters: known(storage.canisters.tag) ?? Self.id(of: storage.canisters, in: &canisters, generation: generation),
                queues: known(storage.queues.tag) ?? Self.id(of: storage.queues, in: &queues, generation: generation),
                responses: known(storage.responses.tag) ?? Self.id(of: storage.responses, in: &responses, generation: generation),
                contexts: known(storage.contexts.tag) ?? Self.id(of: storage.contexts, in: &contexts, generation: generation),
                callbacks: known(storage.callbacks.tag) ?? Self.id(of: storage.callbacks, in: &callbacks, generation: generation),
                history: known(storage.history.tag) ?? Self.id(of: storage.history, in: &history, generation: generation),
                scalars: scalars.id(of: ScalarFields(of: state)))
        }

        /// The component's id, from its box's tag when these tables put it there (a successor
        /// shares most components with its parent, so most lookups end here), else from the
        /// table, tagging the box for the next state that shares it.
        static func id<Value>(of component: FingerprintCached<Value>, in table: inout InternTable<FingerprintCached<Value>>, generation: UInt64) -> UInt32 {
            let tag = component.tag
            if tag >> 32 == generation & 0xFFFF_FFFF, tag != 0 { return UInt32(truncatingIfNeeded: tag) }
            let id = table.id(of: component)
            component.tag = (generation & 0xFFFF_FFFF) << 32 | UInt64(id)
            return id
        }

        /// What `queued(_:)` needs of `state`: any thread, while no one appends to `tables`.
        /// Static, on a pointer: a method on the tables behind the pointer copied all eight
        /// tables per call.
        static func candidate(_ state: ICState, tables: UnsafeMutablePointer<Tables>) -> ICCandidate {
            let storage = state.storage
            let mark = tables.pointee.generation & 0xFFFF_FFFF
            return ICCandidate(
                canisters: PendingComponent(
                    tag: storage.canisters.tag, mark: mark, storage.canisters, in: tables.pointer(to: \.canisters)!),
                queues: PendingComponent(tag: storage.queues.tag, mark: mark, storage.queues, in: tables.pointer(to: \.queues)!),
                responses: PendingComponent(
                    tag: storage.responses.tag, mark: mark, storage.responses, in: tables.pointer(to: \.responses)!),
                contexts: PendingComponent(
                    tag: storage.contexts.tag, mark: mark, storage.contexts, in: tables.pointer(to: \.contexts)!),
                callbacks: PendingComponent(
                    tag: storage.callbacks.tag, mark: mark, storage.callbacks, in: tables.pointer(to: \.callbacks)!),
                history: PendingComponent(
                    tag: storage.history.tag, mark: mark, storage.history, in: tables.pointer(to: \.history)!),
                scalars: ScalarFields(of: state))
        }

        /// The entry of a candidate made by these tables (no `compact(_:)` in between, so its
        /// known ids are still these tables' ids).
        mutating func queued(_ candidate: ICCandidate) -> QueuedICState {
            let generation = generation
            return QueuedICState(
                canisters: Self.id(of: candidate.canisters, in: &canisters, generation: generation),
                queues: Self.id(of: candidate.queues, in: &queues, generation: generation),
                responses: Self.id(of: candidate.responses, in: &responses, generation: generation),
                contexts: Self.id(of: candidate.contexts, in: &contexts, generation: generation),
                callbacks: Self.id(of: candidate.callbacks, in: &callbacks, generation: generation),
                history: Self.id(of: candidate.history, in: &history, generation: generation),
                scalars: scalars.id(of: candidate.scalars))
        }

        @inline(__always)
        static func id<Value>(
            of pending: PendingComponent<Value>, in table: inout InternTable<FingerprintCached<Value>>, generation: UInt64
        ) -> UInt32 {
            switch pending {
            case .known(let id): return id
            case .fresh(let component): return id(of: component, in: &table, generation: generation)
            }
        }

        func state(_ queued: QueuedICState, initialTotalCycles: Cycles, recording: HistoryObservation) -> ICState {
            let small = scalars[queued.scalars]
            return ICState(
                canisters: canisters[queued.canisters], queues: queues[queued.queues], responses: responses[queued.responses],
                contexts: contexts[queued.contexts], callbacks: callbacks[queued.callbacks], history: history[queued.history],
                ingress: small.ingress, now: small.now, lostCycles: small.lostCycles,
                controllerActionsUsed: small.controllerActionsUsed, initialTotalCycles: initialTotalCycles, recording: recording,
                monitors: small.monitors)
        }
    }

    /// Written only by `entry(for:)` and `compact(_:)`, read by `state(of:)`; see the class
    /// comment for why no lock is needed.
    /// Behind a pointer, not a stored property: reading a class's stored struct checked
    /// exclusivity at run time and copied the struct (the tables) for every `state(of:)`,
    /// 8 % of that call's instructions.
    private let tables: UnsafeMutablePointer<Tables> = {
        let tables = UnsafeMutablePointer<Tables>.allocate(capacity: 1)
        tables.initialize(to: Tables())
        return tables
    }()

    init(initialTotalCycles: Cycles, recording: HistoryObservation) {
        self.initialTotalCycles = initialTotalCycles
        self.recording = recording
    }

    deinit {
        tables.pointee.release()
        tables.deinitialize(count: 1)
        tables.deallocate()
    }

    public func entry(for state: ICState) -> QueuedICState { tables.pointee.queued(state) }

    public func candidate(for state: ICState) -> ICCandidate {
        Tables.candidate(state, tables: tables)
    }

    public func entry(forCandidate candidate: ICCandidate) -> QueuedICState { tables.pointee.queued(candidate) }

    /// A candidate waiting for the merge holds the components the tables do not hold yet
    /// (kilobytes with many canisters): a quarter of the default batch keeps a parallel search's
    /// memory closer to the sequential one's (`bench-pubsub` 4 × 1, 2 workers, when candidates
    /// were full states: 250–320 → 115 bytes per state; as `ICCandidate`s: about 45).
    public static var parallelBatchStates: Int { 4_096 }

    public func state(of entry: QueuedICState) -> ICState {
        tables.pointee.state(entry, initialTotalCycles: initialTotalCycles, recording: recording)
    }

    /// Rebuilds the tables with only what `frontier` uses, once they hold more than twice as
    /// many entries as the frontier has states (7 components each).
    public func compact(_ frontier: inout [QueuedICState]) {
        guard tables.pointee.entryCount > 2 * 7 * max(frontier.count, 1024) else { return }
        var fresh = Tables()
        for index in frontier.indices {
            frontier[index] = fresh.queued(state(of: frontier[index]))
        }
        tables.pointee.release()
        tables.pointee = fresh
    }
}
