import ICCore
import ModelChecking
import Synchronization

/// An `ICState` waiting in the breadth-first frontier: one index per component into the
/// system's `FrontierTables` (SPIN's collapse compression). 32 bytes, whatever the state holds.
public struct QueuedICState: Sendable {
    let canisters: UInt32
    let queues: UInt32
    let responses: UInt32
    let contexts: UInt32
    let callbacks: UInt32
    let history: UInt32
    let ingress: UInt32
    let scalars: UInt32
}

/// The small fields of a state, interned together.
struct ScalarFields: Hashable, Sendable {
    let now: Time
    let lostCycles: Cycles
    let controllerActionsUsed: Int
}

/// Numbers the distinct values of one component kind, in order of first appearance.
struct InternTable<Value: Hashable> {
    private var ids: [Value: UInt32] = [:]
    private(set) var values: [Value] = []

    mutating func id(of value: Value) -> UInt32 {
        if let id = ids[value] { return id }
        let id = UInt32(truncatingIfNeeded: values.count)
        values.append(value)
        ids[value] = id
        return id
    }

    subscript(id: UInt32) -> Value { values[Int(id)] }
}

/// The component tables behind `QueuedICState`. Components repeat across millions of states
/// (the same queue contents, the same program states), so a frontier entry stores 8 indices
/// and each distinct component once. The tables are rebuilt between levels when they hold
/// much more than the frontier still uses (a history that only grows makes most entries
/// unique), so they never outgrow the frontier by more than a constant factor.
public final class FrontierTables: Sendable {
    struct Tables {
        var canisters = InternTable<FingerprintCached<[CanisterRecord]>>()
        var queues = InternTable<FingerprintCached<[[QueuedRequest]]>>()
        var responses = InternTable<FingerprintCached<[InFlightResponse]>>()
        var contexts = InternTable<FingerprintCached<[CallContext]>>()
        var callbacks = InternTable<FingerprintCached<[Callback]>>()
        var history = InternTable<FingerprintCached<CallHistory>>()
        var ingress = InternTable<[IngressStatus]>()
        var scalars = InternTable<ScalarFields>()

        var entryCount: Int {
            canisters.values.count + queues.values.count + responses.values.count + contexts.values.count
                + callbacks.values.count + history.values.count + ingress.values.count + scalars.values.count
        }

        mutating func queued(_ state: ICState) -> QueuedICState {
            QueuedICState(
                canisters: canisters.id(of: state.storedCanisters), queues: queues.id(of: state.storedQueues),
                responses: responses.id(of: state.storedResponses), contexts: contexts.id(of: state.storedContexts),
                callbacks: callbacks.id(of: state.storedCallbacks), history: history.id(of: state.storedHistory),
                ingress: ingress.id(of: state.ingress),
                scalars: scalars.id(
                    of: ScalarFields(now: state.now, lostCycles: state.lostCycles, controllerActionsUsed: state.controllerActionsUsed)))
        }

        func state(_ queued: QueuedICState, initialTotalCycles: Cycles, recording: HistoryObservation) -> ICState {
            let small = scalars[queued.scalars]
            return ICState(
                canisters: canisters[queued.canisters], queues: queues[queued.queues], responses: responses[queued.responses],
                contexts: contexts[queued.contexts], callbacks: callbacks[queued.callbacks], history: history[queued.history],
                ingress: ingress[queued.ingress], now: small.now, lostCycles: small.lostCycles,
                controllerActionsUsed: small.controllerActionsUsed, initialTotalCycles: initialTotalCycles, recording: recording)
        }
    }

    private let tables = Mutex(Tables())

    public init() {}

    func queued(_ state: ICState) -> QueuedICState { tables.withLock { $0.queued(state) } }

    func state(_ queued: QueuedICState, initialTotalCycles: Cycles, recording: HistoryObservation) -> ICState {
        tables.withLock { $0.state(queued, initialTotalCycles: initialTotalCycles, recording: recording) }
    }

    /// Rebuilds the tables with only what `frontier` uses, once they hold more than twice as
    /// many entries as the frontier has states (8 components each).
    func compact(_ frontier: inout [QueuedICState], initialTotalCycles: Cycles, recording: HistoryObservation) {
        tables.withLock { old in
            guard old.entryCount > 2 * 8 * max(frontier.count, 1024) else { return }
            var fresh = Tables()
            for index in frontier.indices {
                frontier[index] = fresh.queued(old.state(frontier[index], initialTotalCycles: initialTotalCycles, recording: recording))
            }
            old = fresh
        }
    }
}
