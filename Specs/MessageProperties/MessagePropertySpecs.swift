import ICCore
import ICSpec
import ICMessaging

/// One spec per message-execution property P1-P11, each on a workload that exercises it.
public enum MessagePropertySpecs {
    static let environment = "Environment: every fault on (FaultSwitches.adversarial: spontaneous rejects, best-effort drops, early expiry, injected traps, synchronous call failures, stop timeouts)."
    static let mixedBounds = "Bounds: clients C0, C1 and server C2; C0 sends one guaranteed call, C1 one best-effort call (timeout 1 s), each with 10 cycles; the server accepts none or all and replies; clock up to 1 s."

    public static var all: [Spec] {
        [
            Spec(
                name: "P1-atomic-execution",
                summary: "Executions of one canister never interleave: each server reply gets its own counter value.",
                details: "Claim (P1): a canister runs one message execution at a time, atomically. The server increments a counter and replies with it; if two executions interleaved on the read-modify-write, two replies would carry the same value. \(environment) \(mixedBounds) Expected: holds.",
                category: .messageProperty, callKinds: [.guaranteed, .bestEffort],
                configuration: MessageWorkloads.mixed(),
                properties: [ICProperties.p1AtomicExecution, MessageProperties.p1AtomicExecution(server: 2)], expectation: .holds
            ),
            Spec(
                name: "P2-await-splits-execution",
                summary: "Code after an await is a separate execution: the caller is seen between the call and its callback.",
                details: "Claim refuted (P2): the naive belief that a method runs to completion across its awaits. The client's `call` method performs a call and ends; its callback is a later, separate execution, and other executions may run in between. The property 'every call the client made has been processed' fails right after the client's first execution. No faults; one client C0, one server C1, one guaranteed call. Expected: violated (method-atomic-across-await), shortest trace of 1 step.",
                category: .messageProperty, callKinds: [.guaranteed],
                configuration: MessageWorkloads.single,
                properties: [MessageProperties.naiveAtomicAcrossAwait(client: 0)],
                expectation: .violated(property: "method-atomic-across-await")
            ),
            Spec(
                name: "P2-one-callback-per-call",
                summary: "Each call's callback runs at most once, after the call was made.",
                details: "Claim (P2): the code after `await` is one execution per call, run after the call. The clients never run more callbacks than they made calls, or than responses were delivered. \(environment) \(mixedBounds) Expected: holds.",
                category: .messageProperty, callKinds: [.guaranteed, .bestEffort],
                configuration: MessageWorkloads.mixed(),
                properties: [ICProperties.p2CallbacksHaveContexts, MessageProperties.p2CallbackPerCall(client: 0), MessageProperties.p2CallbackPerCall(client: 1)],
                expectation: .holds
            ),
            Spec(
                name: "P3-request-order",
                summary: "Requests from one canister to another start executing in the order they were sent.",
                details: "Claim (P3): for each caller-callee pair, delivered requests execute in sending order (drops and rejects may remove some). C0 sends two best-effort calls (timeout 1 s) to server C1 in one execution, so drops and early expiry interleave with delivery. \(environment) Clock up to 1 s. (Guaranteed calls use the same queues; see P1-P2 workloads.) Expected: holds.",
                category: .messageProperty, callKinds: [.bestEffort],
                configuration: MessageWorkloads.twoCalls(kind: .bestEffort, faults: .adversarial),
                properties: [ICProperties.p3RequestOrder], expectation: .holds
            ),
            Spec(
                name: "P4-responses-unordered",
                summary: "Responses may come back in any order: callbacks do not run in send order.",
                details: "Claim refuted (P4): the belief that callbacks run in the order their calls were sent. C0 sends two guaranteed calls to C1 in one execution; C1 replies to both in order, yet the responses are unordered and the second callback may run first. No faults. Expected: violated (responses-in-send-order).",
                category: .messageProperty, callKinds: [.guaranteed],
                configuration: MessageWorkloads.twoCalls(kind: .guaranteed, faults: .benign),
                properties: [MessageProperties.naiveResponseOrder(client: 0)],
                expectation: .violated(property: "responses-in-send-order")
            ),
            Spec(
                name: "P5-trap-rollback",
                summary: "A trapped execution leaves no state change behind.",
                details: "Claim (P5): a trap discards the state changes of that execution only. The server's counter counts exactly the executions that produced a response; injected traps may hit any execution. \(environment) \(mixedBounds) Expected: holds.",
                category: .messageProperty, callKinds: [.guaranteed, .bestEffort],
                configuration: MessageWorkloads.mixed(),
                properties: [MessageProperties.p5TrapRollback(server: 2)], expectation: .holds
            ),
            Spec(
                name: "P6-at-most-once-execution",
                summary: "No request is ever executed twice, whatever the faults.",
                details: "Claim (P6): delivery is not guaranteed, but each request is executed at most once. \(environment) \(mixedBounds) Expected: holds.",
                category: .messageProperty, callKinds: [.guaranteed, .bestEffort],
                configuration: MessageWorkloads.mixed(),
                properties: [ICProperties.p6AtMostOnceExecution], expectation: .holds
            ),
            Spec(
                name: "P7-single-response",
                summary: "Every call gets at most one response: its callback never runs twice.",
                details: "Claim (P7, safety part): each call receives a single response, from the callee or synthesised by the system (reject, expiry, drop); a late real response after SYS_UNKNOWN is discarded. \(environment) \(mixedBounds) Expected: holds.",
                category: .messageProperty, callKinds: [.guaranteed, .bestEffort],
                configuration: MessageWorkloads.mixed(),
                properties: [ICProperties.p7SingleResponse], expectation: .holds
            ),
            Spec(
                name: "P8-guaranteed-response",
                summary: "Guaranteed-response calls: the caller sees the callee's own response, never SYS_UNKNOWN.",
                details: "Claim (P8): for guaranteed and small guaranteed calls, if the callee responded, that response reaches the caller, and a reject is never SYS_UNKNOWN. \(environment) \(mixedBounds) (the best-effort call is there to show it does not leak SYS_UNKNOWN into guaranteed calls). Expected: holds.",
                category: .messageProperty, callKinds: [.guaranteed],
                configuration: MessageWorkloads.mixed(),
                properties: [ICProperties.p8GuaranteedResponse], expectation: .holds
            ),
            Spec(
                name: "P9-best-effort-response",
                summary: "Best-effort calls: the caller sees the callee's response or SYS_UNKNOWN, nothing else.",
                details: "Claim (P9): the system may answer a best-effort call with SYS_UNKNOWN even if the callee replied (the reply is then dropped), but with no other made-up response; guaranteed calls never see SYS_UNKNOWN. \(environment) \(mixedBounds) Expected: holds.",
                category: .messageProperty, callKinds: [.bestEffort],
                configuration: MessageWorkloads.mixed(),
                properties: [ICProperties.p9BestEffortResponse], expectation: .holds
            ),
            Spec(
                name: "P10-cycles-conserved-guaranteed",
                summary: "Guaranteed calls: cycles accepted by the callee plus the refund equal the cycles attached.",
                details: "Claim (P10): for guaranteed-response calls with cycles, once the caller has its response, accepted + refunded = attached. \(environment) \(mixedBounds) Expected: holds.",
                category: .messageProperty, callKinds: [.guaranteed],
                configuration: MessageWorkloads.mixed(),
                properties: [ICProperties.p10GuaranteedCycles], expectation: .holds
            ),
            Spec(
                name: "P10-cycles-conserved-best-effort",
                summary: "Per-call cycle conservation does NOT hold for best-effort calls (that is P11).",
                details: "Claim refuted: P10's per-call conservation applied to best-effort calls too. A best-effort call that expires or whose response is dropped gets SYS_UNKNOWN with refund 0, so accepted + refunded < attached. \(environment) Bounds: client C1 sends one best-effort call with 10 cycles to server C2; clock up to 1 s. Expected: violated (P10-all-kinds-cycles).",
                category: .messageProperty, callKinds: [.bestEffort],
                configuration: MessageWorkloads.mixed(kinds: [.bestEffort]),
                properties: [ICProperties.p10AllKindsCycles],
                expectation: .violated(property: "P10-all-kinds-cycles")
            ),
            Spec(
                name: "P11-best-effort-cycles",
                summary: "Best-effort calls lose cycles only with SYS_UNKNOWN, and the loss is accounted for.",
                details: "Claim (P11): a best-effort call conserves cycles unless the caller gets SYS_UNKNOWN, which refunds nothing; globally, balances + cycles in flight + cycles held by contexts + lost cycles always equal the initial total. Cycle refunds: specification (CycleRefunds.specification: dropped cycles are lost, as in the spec's 'Dropping expired messages'). \(environment) \(mixedBounds) Expected: holds. The replica's variant: P11-best-effort-cycles-replica.",
                category: .messageProperty, callKinds: [.bestEffort],
                configuration: MessageWorkloads.mixed(cycleRefunds: .specification),
                properties: [ICProperties.p11BestEffortCycles, ICProperties.cyclesConservedWithSink], expectation: .holds
            ),
            Spec(
                name: "P11-best-effort-cycles-replica",
                summary: "Best-effort calls under today's replica: the callback still sees refund 0 with SYS_UNKNOWN, but no cycle is lost.",
                details: "Claim (P11 as the replica implements it): a best-effort call conserves cycles at its callback unless the caller gets SYS_UNKNOWN (refund 0 there too); the cycles of dropped messages come back to the caller's balance as an anonymous refund without a callback, so nothing is lost: balances + cycles in flight + cycles held by contexts equal the initial total without the lost-cycles sink. Cycle refunds: replica (CycleRefunds.replica, the default; dfinity/ic RefundPool). \(environment) \(mixedBounds) Expected: holds. The spec's variant: P11-best-effort-cycles.",
                category: .messageProperty, callKinds: [.bestEffort],
                configuration: MessageWorkloads.mixed(cycleRefunds: .replica),
                properties: [ICProperties.p11BestEffortCycles, ICProperties.cyclesConservedWithSink, ICProperties.cyclesConservedWithoutSink],
                expectation: .holds
            ),
        ]
    }
}
