import ICCore
import ModelChecking
import Testing
@testable import ICMessaging

/// Every hand-written `fingerprint(into:)` of the IC model, against `==` and, for `Encodable`
/// types, against the encoder-based fingerprint: on values that differ in one field each, and on
/// every reachable state of small models.
@Suite struct FingerprintConformanceTests {
    let calls = [CallId(caller: 0, sequence: 0), CallId(caller: 0, sequence: 1), CallId(caller: 1, sequence: 0)]
    let responses: [Response] = [.reply([]), .reply([1]), .reply([1, 2]), .reject(.sysUnknown, ""), .reject(.canisterReject, ""), .reject(.canisterReject, "x")]
    let continuation = AnyContinuation(Int(0))

    @Test func valuesAreFingerprintedByEveryField() {
        #expect(FingerprintAudit.mergedFields(in: calls).isEmpty)
        #expect(FingerprintAudit.mergedFields(in: responses).isEmpty)
        let contexts: [ContextId] = [.ingress(slot: 0), .ingress(slot: 1)] + calls.map { .call($0) }
        #expect(FingerprintAudit.mergedFields(in: contexts).isEmpty)
        let statuses: [CanisterStatus] = [.running, .stopped, .stopping(pendingStopRequests: 1), .stopping(pendingStopRequests: 2)]
        #expect(FingerprintAudit.mergedFields(in: statuses).isEmpty)
        #expect(FingerprintAudit.mergedFields(in: CallKind.allCases).isEmpty)
        #expect(FingerprintAudit.mergedFields(in: [QueuePair(from: 0, to: 1), QueuePair(from: 1, to: 0), QueuePair(from: 1, to: 1)]).isEmpty)
    }

    @Test func callRecordsAreFingerprintedByEveryField() {
        let base = CallRecord(callee: 1, method: "m", kind: .bestEffort, attached: 5, deadline: 2)
        var variants = [
            base, CallRecord(callee: 2, method: "m", kind: .bestEffort, attached: 5, deadline: 2),
            CallRecord(callee: 1, method: "n", kind: .bestEffort, attached: 5, deadline: 2),
            CallRecord(callee: 1, method: "m", kind: .guaranteed, attached: 5, deadline: 2),
            CallRecord(callee: 1, method: "m", kind: .bestEffort, attached: 6, deadline: 2),
            CallRecord(callee: 1, method: "m", kind: .bestEffort, attached: 5, deadline: nil),
        ]
        let edits: [(inout CallRecord) -> Void] = [
            { $0.executions = 1 }, { $0.calleeResponse = .reply([]) }, { $0.accepted = 1 },
            { $0.deliveredResponses = [.reply([])] }, { $0.refunded = 1 }, { $0.lost = 1 },
        ]
        for edit in edits {
            var record = base
            edit(&record)
            variants.append(record)
        }
        #expect(FingerprintAudit.inconsistencies(in: variants).isEmpty)
        #expect(FingerprintAudit.mergedFields(in: variants).isEmpty)
        var histories = [CallHistory()]
        for (index, record) in variants.enumerated() {
            var history = CallHistory()
            history.calls[CallId(caller: 0, sequence: index % 2)] = record
            histories.append(history)
        }
        var ordered = CallHistory()
        ordered.sent[QueuePair(from: 0, to: 1)] = [calls[0]]
        histories.append(ordered)
        ordered.started[QueuePair(from: 0, to: 1)] = [calls[0]]
        histories.append(ordered)
        ordered.ingressResponses[0] = .reply([])
        histories.append(ordered)
        #expect(FingerprintAudit.inconsistencies(in: histories).isEmpty)
        #expect(FingerprintAudit.mergedFields(in: histories).isEmpty)
    }

    @Test func modelComponentsAreFingerprintedByEveryField() {
        let requests = [
            QueuedRequest(call: calls[0], callee: 1, method: "m", arguments: [1], cycles: 2, kind: .guaranteed, deadline: nil),
            QueuedRequest(call: calls[1], callee: 1, method: "m", arguments: [1], cycles: 2, kind: .guaranteed, deadline: nil),
            QueuedRequest(call: calls[0], callee: 2, method: "m", arguments: [1], cycles: 2, kind: .guaranteed, deadline: nil),
            QueuedRequest(call: calls[0], callee: 1, method: "n", arguments: [1], cycles: 2, kind: .guaranteed, deadline: nil),
            QueuedRequest(call: calls[0], callee: 1, method: "m", arguments: [2], cycles: 2, kind: .guaranteed, deadline: nil),
            QueuedRequest(call: calls[0], callee: 1, method: "m", arguments: [1], cycles: 3, kind: .guaranteed, deadline: nil),
            QueuedRequest(call: calls[0], callee: 1, method: "m", arguments: [1], cycles: 2, kind: .bestEffort, deadline: nil),
            QueuedRequest(call: calls[0], callee: 1, method: "m", arguments: [1], cycles: 2, kind: .guaranteed, deadline: 1),
            QueuedRequest(call: calls[0], callee: 1, method: "m", arguments: [1], cycles: 2, kind: .guaranteed, deadline: nil, deliveries: 1),
        ]
        #expect(FingerprintAudit.inconsistencies(in: requests).isEmpty)
        let inFlight = [
            InFlightResponse(call: calls[0], response: .reply([]), refund: 0, isSystemNotice: false),
            InFlightResponse(call: calls[1], response: .reply([]), refund: 0, isSystemNotice: false),
            InFlightResponse(call: calls[0], response: .reply([1]), refund: 0, isSystemNotice: false),
            InFlightResponse(call: calls[0], response: .reply([]), refund: 1, isSystemNotice: false),
            InFlightResponse(call: calls[0], response: .reply([]), refund: 0, isSystemNotice: true),
        ]
        #expect(FingerprintAudit.inconsistencies(in: inFlight).isEmpty)
        let contexts = [
            CallContext(id: .call(calls[0]), canister: 1, needsToRespond: true, deleted: false, availableCycles: 0, deadline: nil),
            CallContext(id: .call(calls[1]), canister: 1, needsToRespond: true, deleted: false, availableCycles: 0, deadline: nil),
            CallContext(id: .call(calls[0]), canister: 2, needsToRespond: true, deleted: false, availableCycles: 0, deadline: nil),
            CallContext(id: .call(calls[0]), canister: 1, needsToRespond: false, deleted: false, availableCycles: 0, deadline: nil),
            CallContext(id: .call(calls[0]), canister: 1, needsToRespond: true, deleted: true, availableCycles: 0, deadline: nil),
            CallContext(id: .call(calls[0]), canister: 1, needsToRespond: true, deleted: false, availableCycles: 1, deadline: nil),
            CallContext(id: .call(calls[0]), canister: 1, needsToRespond: true, deleted: false, availableCycles: 0, deadline: 3),
        ]
        #expect(FingerprintAudit.inconsistencies(in: contexts).isEmpty)
        func callback(
            call: CallId = CallId(caller: 0, sequence: 0), context: ContextId = .ingress(slot: 0), callee: CanisterId = 1,
            continuation: Int = 0, kind: CallKind = .bestEffort, cycles: Cycles = 0, deadline: Time? = 1, expired: Bool = false,
            cleanup: Bool = false
        ) -> Callback {
            Callback(
                call: call, callerContext: context, callee: callee, continuation: AnyContinuation(continuation), kind: kind,
                attachedCycles: cycles, deadline: deadline, expired: expired, hasCleanup: cleanup)
        }
        let callbacks = [
            callback(), callback(call: calls[1]), callback(context: .ingress(slot: 1)), callback(callee: 2), callback(continuation: 1),
            callback(kind: .guaranteed), callback(cycles: 1), callback(deadline: nil), callback(expired: true), callback(cleanup: true),
        ]
        #expect(FingerprintAudit.inconsistencies(in: callbacks).isEmpty)
        let records = [
            CanisterRecord(status: .running, programState: AnyCanisterState(0), balance: 0, codeVersion: 0, nextCallSequence: 0),
            CanisterRecord(status: .stopped, programState: AnyCanisterState(0), balance: 0, codeVersion: 0, nextCallSequence: 0),
            CanisterRecord(status: .running, programState: AnyCanisterState(1), balance: 0, codeVersion: 0, nextCallSequence: 0),
            CanisterRecord(status: .running, programState: AnyCanisterState(0), balance: 1, codeVersion: 0, nextCallSequence: 0),
            CanisterRecord(status: .running, programState: AnyCanisterState(0), balance: 0, codeVersion: nil, nextCallSequence: 0),
            CanisterRecord(status: .running, programState: AnyCanisterState(0), balance: 0, codeVersion: 0, nextCallSequence: 1),
        ]
        #expect(FingerprintAudit.inconsistencies(in: records).isEmpty)
        #expect(FingerprintAudit.inconsistencies(in: [IngressStatus.notSent, .sent, .answered]).isEmpty)
    }

    /// Every reachable state of small models, with the whole history and with none of it.
    @Test(arguments: [HistoryObservation.all, .none])
    func reachableStatesAreKeptApart(recording: HistoryObservation) {
        let plans: [[Client.Plan]] = [
            [Client.Plan(callee: B, kind: .bestEffort, cycles: 3)],
            [Client.Plan(callee: B, cycles: 2), Client.Plan(callee: B, kind: .bestEffort)],
        ]
        for plan in plans {
            let template = clientSystem(plan, retries: 1, faults: .adversarial)
            let system = ICSystem(
                configuration: template.configuration, properties: template.icProperties, recording: recording)
            var seen: Set<ICState> = []
            var frontier = system.initialStates
            var reachable: [ICState] = []
            while let state = frontier.popLast(), reachable.count < 20_000 {
                guard seen.insert(state).inserted else { continue }
                reachable.append(state)
                frontier += system.successors(of: state).map(\.state)
            }
            #expect(reachable.count > 100)
            #expect(FingerprintAudit.inconsistencies(in: reachable).isEmpty)
            // The frontier form gives back the same state.
            let storage = system.makeFrontier()
            for state in reachable.prefix(2_000) { #expect(storage.state(of: storage.entry(for: state)) == state) }
            // So does the candidate form of a parallel search: made before the tables hold its
            // components (kept whole; another candidate may intern a shared one first) and after
            // (ids from the boxes' tags).
            let tables = system.makeFrontier()
            let sample = Array(reachable.prefix(2_000))
            let early = sample.map { tables.candidate(for: $0) }
            for (state, candidate) in zip(sample, early) { #expect(tables.state(of: tables.entry(forCandidate: candidate)) == state) }
            for state in sample { #expect(tables.state(of: tables.entry(forCandidate: tables.candidate(for: state))) == state) }
        }
    }

    /// Representatives under symmetry reduction (renamed canisters, renumbered calls) are states
    /// like any other: fingerprinted by every field, and kept whole by the frontier tables.
    @Test(arguments: [HistoryObservation.all, .none])
    func canonicalisedStatesAreKeptApart(recording: HistoryObservation) throws {
        let plans = [Client.Plan(callee: B, kind: .bestEffort, cycles: 3), Client.Plan(callee: C, kind: .bestEffort, cycles: 3)]
        let template = clientSystem(plans, third: Worker(), faults: FaultSwitches(dropBestEffort: true), limits: MessagingLimits(maxTime: 1))
        let system = ICSystem(configuration: template.configuration, properties: template.icProperties, recording: recording)
        let groups = try SymmetryGroups(validating: [[B, C]], configuration: system.configuration, properties: system.icProperties)
        let reduction = SymmetryReduction(groups: groups, configuration: system.configuration)
        var seen: Set<ICState> = []
        var frontier = system.initialStates.map { reduction.canonical($0).state }
        while let state = frontier.popLast(), seen.count < 20_000 {
            guard seen.insert(state).inserted else { continue }
            frontier += system.successors(of: state).map { reduction.canonical($0.state).state }
        }
        #expect(seen.count > 100 && seen.count < 20_000)
        #expect(FingerprintAudit.inconsistencies(in: Array(seen)).isEmpty)
        let storage = system.makeFrontier()
        for state in seen.prefix(2_000) { #expect(storage.state(of: storage.entry(for: state)) == state) }
    }
}
