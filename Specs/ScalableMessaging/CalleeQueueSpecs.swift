import ICCore
import ICSpec

/// The forum's "guaranteed response calls are best-effort too": a callee whose output queue
/// towards a caller is full of responses cannot receive new calls from it. On the replica,
/// inducting a request reserves a response slot in the callee's output queue
/// (`CanisterQueues::push_input`); without one the request is rejected with a SYS_TRANSIENT
/// response (`QueueFull`). The model lets the callee's system reject when its unconsumed
/// responses to the caller fill that queue (`ICSystem.outputQueueMayBeFull`).
public enum CalleeQueueSpecs {
    /// C0: `fill` makes `count` calls of `fillKind` to `callee` in one execution (arguments
    /// `[callee, count]`); `call` then makes one guaranteed call to `callee` and records how it
    /// ended.
    public struct QueueFiller: CanisterProgram {
        public struct State: CanisterState {
            /// The guaranteed call was rejected SYS_TRANSIENT (asynchronously, by the callee's system).
            public var transientRejects = 0
            /// `call_perform` of the guaranteed call failed at once (`queueFull` at the caller).
            public var refusedAtCaller = 0
            public var replies = 0
        }

        public enum Continuation: ContinuationValue { case filler, guaranteed }
        public let fillKind: CallKind

        public init(fillKind: CallKind) { self.fillKind = fillKind }

        public var name: String { "queue-filler(\(fillKind))" }
        public var initialState: State { State() }

        public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
            let order = try call.arguments(as: [Int].self)
            guard order.count == 2 else { throw CanisterTrap("arguments are [callee, count]") }
            let callee = CanisterId(order[0])
            if call.method == "fill" {
                for _ in 0 ..< order[1] {
                    _ = try execution.call(callee, "work", kind: fillKind, timeout: 1, then: .filler)
                }
                return
            }
            if case .failed = try execution.call(callee, "work", kind: .guaranteed, then: .guaranteed) {
                execution.state.refusedAtCaller += 1
            }
        }

        public func handleResponse(_ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>) throws {
            guard continuation == .guaranteed else { return }
            switch response {
            case .reply: execution.state.replies += 1
            case .reject(let code, _): if code == .sysTransient { execution.state.transientRejects += 1 }
            }
        }
    }

    /// C0's guaranteed call is never rejected SYS_TRANSIENT by its callee's system.
    public static let guaranteedCallNotRejected = ICProperty(
        name: "c0-guaranteed-call-not-rejected-transient",
        statement: "C0's guaranteed-response call is never rejected SYS_TRANSIENT (the callee's system turning it away for a full queue).",
        observes: .none, mentions: .only([0]), observesContextRemoval: false
    ) { view in
        view.programState(of: 0, as: QueueFiller.State.self)?.transientRejects == 0
    }

    static let capacity = SpecParameter(
        "capacity", summary: "response slots per queue (the replica's 500, scaled down)", range: 1 ... 3, default: 2)

    /// C0 fills with `capacity` calls of `fillKind` to the server C1 (which replies to each at
    /// once), then makes one guaranteed call to C1; the two user calls come in either order.
    static func configuration(fillKind: CallKind, capacity: Int) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [CanisterSetup(QueueFiller(fillKind: fillKind)), CanisterSetup(ReplyingServer())],
            ingress: [IngressMessage(to: 0, "fill", arguments: [1, capacity]), IngressMessage(to: 0, "call", arguments: [1, 1])],
            limits: MessagingLimits(queueCapacity: capacity, maxTime: 1))
    }

    static func entry(
        name: String, summary: String, details: @escaping @Sendable (Int) -> String, fillKind: CallKind, expectation: Spec.Expectation
    ) -> SpecCatalog.Entry {
        SpecCatalog.Entry(name: name, parameters: [capacity]) { values in
            let c = values["capacity"] ?? capacity.defaultValue
            return Spec(
                name: name, summary: summary, details: details(c), category: .scalableMessagingClaim,
                callKinds: fillKind == .guaranteed ? [.guaranteed] : [fillKind, .guaranteed],
                configuration: configuration(fillKind: fillKind, capacity: c),
                properties: [guaranteedCallNotRejected], expectation: expectation)
        }
    }

    static let environment = "C1 replies to every call at once. No faults; the clock runs to 1 s (best-effort calls time out after 1 s). The model does not track when a response leaves the callee's output queue for the stream: until its caller consumes it, a callee's response may still hold its slot there, so the callee's system may reject (SYS_TRANSIENT) or start a new request when those responses fill the queue. The replica's 500 slots are scaled down to the `capacity` parameter (`--param capacity=N`, 1...3)."

    public static var entries: [SpecCatalog.Entry] {
        [
            entry(
                name: "Q3-callee-queue-full-of-responses-rejects-calls",
                summary: "A callee whose output queue towards the caller is full of responses rejects a new guaranteed call asynchronously.",
                details: { c in "Claim (forum: \"guaranteed response calls are best-effort too\"): a canister whose output queue is full of responses cannot receive new calls; a guaranteed-response call gets no guarantee of delivery. C0 makes \(c) best-effort calls (timeout 1 s) to C1, which replies to each at once; the calls time out at C0 (SYS_UNKNOWN), which frees C0's own reservations while C1's \(c) late replies are still unconsumed. C0 then makes a guaranteed call to C1: its call_perform succeeds (C0's queues have room), and C1's system rejects it SYS_TRANSIENT because its output queue towards C0 has no response slot left (replica `CanisterQueues::push_input`, `QueueFull`). Queue capacity \(c) response slots. \(environment) Expected: violated (c0-guaranteed-call-not-rejected-transient)." },
                fillKind: .bestEffort, expectation: .violated(property: guaranteedCallNotRejected.name)),
            entry(
                name: "Q3-guaranteed-calls-cannot-fill-callee-queue",
                summary: "With only guaranteed calls, backpressure is synchronous: the callee never rejects a call for a full queue.",
                details: { c in "The counterpart of Q3-callee-queue-full-of-responses-rejects-calls: C0 fills with \(c) guaranteed calls instead. Every response C1 owes C0 or has sent it and C0 has not consumed holds a reservation in C0's own input queue too, so C0's call_perform refuses the extra call synchronously (queueFull) while C1's output queue is full, and C1's system never rejects it SYS_TRANSIENT. Queue capacity \(c) response slots. \(environment) Expected: holds." },
                fillKind: .guaranteed, expectation: .holds),
        ]
    }
}
