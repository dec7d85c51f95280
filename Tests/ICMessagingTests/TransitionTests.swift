import ICCore
import ModelChecking
import Testing
@testable import ICMessaging

@Suite struct CallLifecycleTests {
    let system = clientSystem([Client.Plan(callee: B, cycles: 5)])

    @Test func ingressExecutesAndPerformsCall() throws {
        let state = try system.run([go])
        #expect(state.ingress == [.sent])
        #expect(state.queue(from: A, to: B).map(\.call) == [call0])
        #expect(state.balance(of: A) == 95)
        #expect(state.callback(call0)?.callerContext == .ingress(slot: 0))
        #expect(state.context(.ingress(slot: 0))?.needsToRespond == true)
        #expect(state.history.sent[QueuePair(from: A, to: B)] == [call0])
        #expect(state.history.calls[call0]?.attached == 5)
        #expect(state[canister: A].nextCallSequence == 1)
    }

    @Test func deliverRequestEnumeratesChoices() throws {
        let afterGo = try system.run([go])
        let delivered = system.enabled(afterGo).filter { if case .deliverRequest = $0 { true } else { false } }
        #expect(delivered == [deliverAB([0]), deliverAB([1])])
        let replied = try system.step(afterGo, deliverAB([0]))
        #expect(replied.queue(from: A, to: B).isEmpty)
        #expect(replied.history.started[QueuePair(from: A, to: B)] == [call0])
        #expect(replied.history.calls[call0]?.executions == 1)
        #expect(replied.history.calls[call0]?.calleeResponse == .reply([1]))
        #expect(replied.history.calls[call0]?.accepted == 1)
        #expect(replied.responses == [InFlightResponse(call: call0, response: .reply([1]), refund: 4, isSystemNotice: false)])
        #expect(replied.balance(of: B) == 101)
        let rejected = try system.step(afterGo, deliverAB([1]))
        #expect(rejected.responses.first?.response == .reject(.canisterReject, "no"))
    }

    @Test func deliverResponseCreditsRefundAndRunsCallback() throws {
        let state = try system.run([go, deliverAB([0]), respond(call0)])
        #expect(state.balance(of: A) == 99)
        #expect(state.openCallbacks.isEmpty)
        #expect(state.history.calls[call0]?.deliveredResponses == [.reply([1])])
        #expect(state.history.calls[call0]?.refunded == 4)
        #expect(state.history.ingressResponses[0] == .reply([1]))
        #expect(state.ingress == [.answered])
        #expect(state.accountedCycles == state.initialTotalCycles)
        // Both contexts are answered and unreferenced: T9 removes them.
        let removable = system.enabled(state).filter { if case .removeContext = $0 { true } else { false } }
        #expect(Set(removable) == [.removeContext(.ingress(slot: 0)), .removeContext(.call(call0))])
    }

    @Test func starvationAnswersSilentMethodWithCanisterError() throws {
        let silent = clientSystem([Client.Plan(callee: B, method: "silent", cycles: 5)])
        let state = try silent.run([go, deliverAB([])])
        #expect(silent.enabled(state).contains(.starveContext(.call(call0))))
        // The ingress context still awaits its callback: not starvable.
        #expect(!silent.enabled(state).contains(.starveContext(.ingress(slot: 0))))
        let starved = try silent.step(state, .starveContext(.call(call0)))
        #expect(starved.responses.first?.response == .reject(.canisterError, ""))
        #expect(starved.responses.first?.refund == 4)
        #expect(starved.history.calls[call0]?.calleeResponse == nil)
        let delivered = try silent.step(starved, respond(call0))
        #expect(delivered.history.calls[call0]?.accepted == 1)
        #expect(delivered.history.calls[call0]?.refunded == 4)
    }
}

@Suite struct RejectionTests {
    @Test func stoppedCalleeRejectsWithCanisterErrorAndFullRefund() throws {
        let system = clientSystem(
            [Client.Plan(callee: B, cycles: 5)], controller: ControllerActions(stop: [B], maxActions: 1))
        let state = try system.run([.stopCanister(B), go])
        #expect(state.status(of: B) == .stopping(pendingStopRequests: 1))
        #expect(!system.enabled(state).contains(deliverAB()))
        let rejected = try system.step(state, .rejectRequest(from: A, to: B, code: .canisterError))
        #expect(rejected.responses == [InFlightResponse(call: call0, response: .reject(.canisterError, ""), refund: 5, isSystemNotice: false)])
        let stopped = try system.step(state, .completeStop(B))
        #expect(stopped.status(of: B) == .stopped)
    }

    @Test func frozenCalleeRejectsWithSysTransient() throws {
        let system = clientSystem([Client.Plan(callee: B, cycles: 5)], workerThreshold: 101)
        let state = try system.run([go])
        #expect(system.enabled(state).contains(.rejectRequest(from: A, to: B, code: .sysTransient)))
        #expect(!system.enabled(state).contains(deliverAB()))
    }

    @Test func ingressToStoppedCanisterIsRejected() throws {
        let system = clientSystem([], controller: ControllerActions(stop: [A], maxActions: 1))
        let state = try system.run([.stopCanister(A), .completeStop(A), go])
        #expect(state.history.ingressResponses[0] == .reject(.canisterError, ""))
    }

    @Test func spontaneousRejectCodesDependOnKind() throws {
        let system = clientSystem(
            [Client.Plan(callee: B, kind: .guaranteed, cycles: 3), Client.Plan(callee: B, kind: .bestEffort, cycles: 2)],
            faults: FaultSwitches(spontaneousRejects: true))
        let state = try system.run([go])
        let rejects = system.enabled(state).compactMap { action -> (CallId, RejectCode)? in
            if case .systemReject(let call, let code) = action { return (call, code) }
            return nil
        }
        #expect(rejects.filter { $0.0 == call0 }.map(\.1) == RejectCode.allCases.filter { $0 != .sysUnknown })
        #expect(rejects.filter { $0.0 == call1 }.map(\.1) == RejectCode.allCases)
        // No head-of-queue requirement: the second request can be rejected first.
        let next = try system.step(state, .systemReject(call: call1, code: .sysFatal))
        #expect(next.queue(from: A, to: B).map(\.call) == [call0])
        #expect(next.responses.first?.refund == 2)
    }
}

@Suite struct BestEffortTests {
    let plan = Client.Plan(callee: B, kind: .bestEffort, cycles: 5, timeout: 1)

    @Test func expiryOnlyAtDeadlineWithoutEarlyExpiry() throws {
        let system = clientSystem([plan])
        let state = try system.run([go])
        #expect(state.callback(call0)?.deadline == 1)
        #expect(!system.enabled(state).contains(.expireCall(call: call0)))
        let later = try system.step(state, .tick)
        #expect(system.enabled(later).contains(.expireCall(call: call0)))
        // Expiry is urgent: time cannot pass the deadline of an unanswered call.
        #expect(!system.enabled(later).contains(.tick))
    }

    @Test func expiryDeliversSysUnknownAndLateResponseIsLost() throws {
        let system = clientSystem([plan], faults: FaultSwitches(earlyExpiry: true), properties: ICProperties.guaranteed + [ICProperties.p10AllKindsCycles])
        let expired = try system.run([go, .expireCall(call: call0)])
        #expect(expired.callback(call0)?.expired == true)
        #expect(expired.responses == [InFlightResponse(call: call0, response: .reject(.sysUnknown, ""), refund: 0, isSystemNotice: true)])
        let answered = try system.step(try system.step(expired, deliverAB([0])), respond(call0))
        #expect(answered.history.calls[call0]?.deliveredResponses == [.reject(.sysUnknown, "")])
        #expect(answered.history.calls[call0]?.refunded == 0)
        #expect(answered.history.ingressResponses[0] == .reply([2]))
        let discarded = try system.step(answered, .discardResponse(call: call0))
        #expect(discarded.lostCycles == 4)
        #expect(discarded.history.calls[call0]?.lost == 4)
        #expect(discarded.accountedCycles == discarded.initialTotalCycles)
        #expect(!ICProperties.p10AllKindsCycles.holds(answered))
        #expect(ICProperties.p11BestEffortCycles.holds(discarded))
    }

    @Test func droppedRequestLosesCyclesAndCallerGetsSysUnknownAtExpiry() throws {
        let system = clientSystem([plan], faults: FaultSwitches(dropBestEffort: true))
        let state = try system.run([go, .dropRequest(call: call0), .tick, .expireCall(call: call0), respond(call0)])
        #expect(state.lostCycles == 5)
        #expect(state.history.calls[call0]?.deliveredResponses == [.reject(.sysUnknown, "")])
        #expect(state.accountedCycles == state.initialTotalCycles)
    }

    @Test func droppedResponseBecomesSysUnknownNotice() throws {
        let system = clientSystem([plan], faults: FaultSwitches(dropBestEffort: true))
        let state = try system.run([go, deliverAB([0]), .dropResponse(call: call0)])
        #expect(state.responses == [InFlightResponse(call: call0, response: .reject(.sysUnknown, ""), refund: 0, isSystemNotice: true)])
        #expect(state.lostCycles == 4)
        // No second SYS_UNKNOWN: expiry is deduplicated against the notice.
        #expect(!system.enabled(try system.step(state, .tick)).contains(.expireCall(call: call0)))
    }

    @Test func guaranteedCallsNeverExpireOrDrop() throws {
        let system = clientSystem([Client.Plan(callee: B, cycles: 5)], faults: .adversarial)
        let actions = system.enabled(try system.run([.ingress(slot: 0, choices: [0], trap: false)]))
        #expect(!actions.contains(.expireCall(call: call0)))
        #expect(!actions.contains(.dropRequest(call: call0)))
    }
}

@Suite struct TrapTests {
    @Test func injectedTrapRollsBackAndContextStarves() throws {
        let system = clientSystem([Client.Plan(callee: B, cycles: 5)], faults: FaultSwitches(injectedTraps: true))
        let afterGo = try system.run([go])
        let trapped = try system.step(afterGo, .deliverRequest(from: A, to: B, choices: [], trap: true))
        #expect(trapped.programState(of: B) == afterGo.programState(of: B))
        #expect(trapped.responses.isEmpty)
        #expect(trapped.context(.call(call0))?.needsToRespond == true)
        #expect(trapped.context(.call(call0))?.availableCycles == 5)
        #expect(system.enabled(trapped).contains(.starveContext(.call(call0))))
    }

    @Test func trappedIngressKeepsNoCalls() throws {
        let system = clientSystem([Client.Plan(callee: B, cycles: 5)], faults: FaultSwitches(injectedTraps: true))
        let state = try system.run([.ingress(slot: 0, choices: [], trap: true)])
        #expect(state.queue(from: A, to: B).isEmpty)
        #expect(state.balance(of: A) == 100)
        let starved = try system.step(state, .starveContext(.ingress(slot: 0)))
        #expect(starved.history.ingressResponses[0] == .reject(.canisterError, ""))
    }

    @Test func cleanupRunsOnPreCallbackStateWhenCallbackTraps() throws {
        let system = clientSystem([Client.Plan(callee: B, cycles: 5)], cleanup: true, trapOnReject: true)
        let state = try system.run([go, deliverAB([1]), respond(call0)])
        let client = try #require(state.programState(of: A, as: Client.State.self))
        #expect(client.outcomes == [3])
        #expect(client.pending == 0)
        // The refund was still credited; the callee is unaffected.
        #expect(state.balance(of: A) == 99)
        #expect(state.history.calls[call0]?.deliveredResponses.count == 1)
    }

    @Test func injectedCallbackTrapRunsCleanup() throws {
        let system = clientSystem([Client.Plan(callee: B, cycles: 5)], cleanup: true, faults: FaultSwitches(injectedTraps: true))
        let state = try system.run([go, deliverAB([0]), .deliverResponse(call: call0, choices: [], trap: true)])
        #expect(state.programState(of: A, as: Client.State.self)?.outcomes == [3])
    }
}

@Suite struct AdmissionTests {
    @Test func queueCapacityCountsReservationsOfThisExecution() throws {
        let system = clientSystem(
            [Client.Plan(callee: B), Client.Plan(callee: B)], limits: MessagingLimits(queueCapacity: 1, maxTime: 0))
        let state = try system.run([go])
        #expect(state.queue(from: A, to: B).count == 1)
        #expect(state.programState(of: A, as: Client.State.self)?.outcomes == [0, 2])
    }

    @Test func payloadCyclesAndQuotas() throws {
        let limits = MessagingLimits(smallPayloadLimit: 50, smallQuotaOut: 1, smallQuotaIn: 5, sharedSmallPool: 0, maxTime: 0)
        let small = clientSystem([Client.Plan(callee: B, kind: .smallGuaranteed)], limits: limits)
        // payloadBytes defaults to 100 > 50.
        #expect(try small.run([go]).programState(of: A, as: Client.State.self)?.outcomes == [2])
        let poor = clientSystem([Client.Plan(callee: B, cycles: 101)])
        #expect(try poor.run([go]).programState(of: A, as: Client.State.self)?.outcomes == [2])
    }

    @Test func syncCallFailureIsARecordedChoice() throws {
        let system = clientSystem([Client.Plan(callee: B)], faults: FaultSwitches(syncCallFailures: true))
        let ingresses = system.enabled(system.initialStates[0]).filter { $0 != .tick }
        #expect(ingresses == [.ingress(slot: 0, choices: [0], trap: false), .ingress(slot: 0, choices: [1], trap: false)])
        let refused = try system.step(system.initialStates[0], .ingress(slot: 0, choices: [1], trap: false))
        #expect(refused.openCallbacks.isEmpty)
        #expect(refused.history.ingressResponses[0] == .reply([2]))
    }

    @Test func runtimeQuotaWithSharedPool() {
        let limits = MessagingLimits(smallQuotaOut: 1, smallQuotaIn: 10, sharedSmallPool: 1)
        let configuration = SystemConfiguration(
            canisters: [CanisterSetup(Counter()), CanisterSetup(Counter())], ingress: [], limits: limits)
        let runtime = EnumeratingRuntime(prefix: [], state: ICState(configuration: configuration), configuration: configuration, caller: A, available: 0)
        func small() -> OutgoingCall {
            OutgoingCall(callee: B, method: "m", arguments: [], payloadBytes: 10, cycles: 0, kind: .smallGuaranteed, timeout: nil,
                continuation: AnyContinuation(0), hasCleanup: false)
        }
        #expect(runtime.perform(small()) == .performed)
        #expect(runtime.perform(small()) == .performed)  // from the shared pool
        #expect(runtime.perform(small()) == .failed(.quotaExhausted))
    }
}

@Suite struct ControllerTests {
    @Test func uninstallRejectsOpenContextsAndLaterResponseOnlyRefunds() throws {
        let system = clientSystem(
            [Client.Plan(callee: B, cycles: 5)], controller: ControllerActions(uninstall: [A], maxActions: 1))
        let state = try system.run([go, .uninstallCanister(A)])
        #expect(state.history.ingressResponses[0] == .reject(.canisterReject, ""))
        #expect(state.context(.ingress(slot: 0))?.deleted == true)
        #expect(state.codeVersion(of: A) == nil)
        let answered = try system.run([go, .uninstallCanister(A), deliverAB([0])])
        #expect(!system.enabled(answered).contains(respond(call0)))
        let discarded = try system.step(answered, .discardResponse(call: call0))
        #expect(discarded.balance(of: A) == 99)
        #expect(discarded.history.calls[call0]?.refunded == 4)
        #expect(discarded.openCallbacks.isEmpty)
        #expect(system.enabled(discarded).contains(.removeContext(.ingress(slot: 0))))
    }

    @Test func upgradeKeepsStateAndCallbacks() throws {
        let system = clientSystem(
            [Client.Plan(callee: B, cycles: 5)], controller: ControllerActions(upgrade: [A], maxActions: 1))
        let state = try system.run([go, .upgradeCanister(A)])
        #expect(state.codeVersion(of: A) == 1)
        #expect(state.callback(call0) != nil)
        #expect(!system.enabled(state).contains(.upgradeCanister(A)))  // budget spent
    }

    @Test func stopTimeoutAndStart() throws {
        let system = clientSystem(
            [Client.Plan(callee: B)], faults: FaultSwitches(stopTimeouts: true),
            controller: ControllerActions(stop: [A], start: [A], maxActions: 2))
        let state = try system.run([go, .stopCanister(A)])
        #expect(!system.enabled(state).contains(.completeStop(A)))  // A has a context
        let timedOut = try system.step(state, .stopRequestTimeout(A))
        #expect(timedOut.status(of: A) == .stopping(pendingStopRequests: 0))
        #expect(try system.step(state, .startCanister(A)).status(of: A) == .running)
    }

    @Test func timeIsBounded() throws {
        let system = clientSystem([], limits: MessagingLimits(maxTime: 1))
        let state = try system.run([.tick])
        #expect(state.now == 1)
        #expect(!system.enabled(state).contains(.tick))
    }
}
