import ICCore
import ICSpec

/// Fair load shedding (a forum proposal, `LoadShedding.fair`): when best-effort messages must be
/// shed, only those of the canisters holding the most best-effort messages in flight are. The
/// claim: a canister within its fair share never has a message shed while another is over its
/// share. Under the interface spec's arbitrary shedding it fails; under fair shedding it holds.
public enum FairSheddingSpecs {
    /// On `work`, makes one best-effort call to `callee` with 1 cycle attached and replies to
    /// its caller at once (the callback does nothing): a canister that is asked to act by another.
    public struct Forwarder: CanisterProgram {
        public struct State: CanisterState {}
        public enum Continuation: ContinuationValue { case none }
        public let callee: CanisterId

        public init(callee: CanisterId) { self.callee = callee }

        public var name: String { "forwarder" }
        public var initialState: State { State() }
        public var callees: Set<CanisterId>? { [callee] }

        public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
            _ = try execution.call(callee, "work", cycles: 1, kind: .bestEffort, timeout: 1, then: .none)
            try execution.reply(0)
        }

        public func handleResponse(_ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>) throws {}
    }

    /// C0 (over its share) makes two best-effort calls to the server C2, each with 1 cycle, and
    /// then a guaranteed call asking C1 to act; C1 (within its share) then makes one best-effort
    /// call to C2. So C1's request exists only after C0's two are queued, and C0's count of queued
    /// requests only falls from then on. Only shedding is on; no clock (no deadline passes).
    static func configuration(_ shedding: LoadShedding) -> SystemConfiguration {
        let orders = [
            ClientProgram.Order(.bestEffort, to: 2, cycles: 1, tag: 1), ClientProgram.Order(.bestEffort, to: 2, cycles: 1, tag: 2),
            ClientProgram.Order(.guaranteed, to: 1, cycles: 0, tag: 3),
        ]
        var configuration = SystemConfiguration(
            canisters: [
                CanisterSetup(ClientProgram()), CanisterSetup(Forwarder(callee: 2)),
                CanisterSetup(ServerProgram(mayReject: false, choosesAcceptance: false)),
            ],
            ingress: [IngressMessage(to: 0, "callEach", arguments: orders)],
            faults: FaultSwitches(dropBestEffort: true))
        configuration.loadShedding = shedding
        return configuration
    }

    /// Whether the best-effort request of `record` was shed: it carried cycles, never executed,
    /// and its cycles were settled as dropped (lost or returned).
    static func shed(_ record: CallRecord) -> Bool {
        record.kind.isBestEffort && record.executions == 0 && record.attached > 0 && record.lost + record.returned == record.attached
    }

    /// C1 holds one best-effort request when it is shed; C0 holds its queued ones (never executed,
    /// not shed). As C0's count only falls once C1's request exists, "C1's request was shed while
    /// C0 held more" shows in the state right after the shedding as "C1's request shed and C0
    /// still holding two".
    public static let withinShareNeverShed = ICProperty(
        name: "within-fair-share-never-shed",
        statement: "C1, holding one best-effort message, never has it shed while C0 holds more (two queued requests).",
        callKinds: [.bestEffort], observes: .calls, mentions: .only([0, 1]), observesContextRemoval: false
    ) { view in
        var c1Shed = false
        var c0Held = 0
        for (id, record) in view.history.calls where record.kind.isBestEffort {
            if id.caller == 1, shed(record) { c1Shed = true }
            if id.caller == 0, record.executions == 0, !shed(record) { c0Held += 1 }
        }
        return !(c1Shed && c0Held >= 2)
    }

    static let environment = "C0 makes two best-effort calls (1 cycle each) to the server C2 and then asks C1, with a guaranteed call, to make one best-effort call (1 cycle) to C2; C2 replies to every call. Faults: load shedding only (`faults.dropBestEffort`: any queued best-effort request or undelivered response may be shed); no clock. A request counts for its caller and a response for its callee (the proposal's senders); message counts stand for bytes."

    public static var all: [Spec] {
        [
            Spec(
                name: "FS1-arbitrary-shedding-unfair",
                summary: "Arbitrary load shedding can shed the message of a canister within its fair share while another is over it.",
                details: "Claim refuted: 'a canister within its fair share never has a message shed while another is over its share', under the interface spec's arbitrary shedding (`LoadShedding.arbitrary`: any best-effort message may be dropped). C1's single request is shed while C0 still holds two. \(environment) Expected: violated (within-fair-share-never-shed). With fair shedding the claim holds: FS2-fair-shedding-within-share.",
                category: .scalableMessagingClaim, callKinds: [.bestEffort], configuration: configuration(.arbitrary),
                properties: [withinShareNeverShed], expectation: .violated(property: withinShareNeverShed.name)),
            Spec(
                name: "FS2-fair-shedding-within-share",
                summary: "Fair load shedding never sheds the message of a canister within its fair share while another is over it.",
                details: "Claim (the forum's fair load shedding, `LoadShedding.fair`: only messages of the senders holding the most best-effort messages in flight may be shed): C1, within its share (one message), keeps its request while C0 holds two; C0's requests, and C2's responses once C2 holds the most, may be shed. \(environment) Expected: holds. Under arbitrary shedding the claim fails: FS1-arbitrary-shedding-unfair.",
                category: .scalableMessagingClaim, callKinds: [.bestEffort], configuration: configuration(.fair),
                properties: [withinShareNeverShed], expectation: .holds),
        ]
    }
}
