import ModelChecking

/// One step of the IC messaging system: the shared trace vocabulary.
///
/// The model (ICMessaging) produces these as its transition labels; traces record them in JSON
/// (Swift's synthesised Codable form); the reference executor reads them back and performs the
/// same step its own way. Every nondeterministic decision a step makes is in its parameters:
/// `choices` lists, in order, every `ExecutionRuntime.choose` answer and every nondeterministic
/// call-admission decision of the executions in the step; `trap` marks a trap injected by the
/// system (e.g. the instruction limit) rather than one the program raised itself.
public enum ICAction: Hashable, Sendable, Codable, CustomStringConvertible, Fingerprintable {
    /// The ingress message at `slot` of the configuration reaches its canister and executes
    /// (T1+T3+T4), or is rejected if the canister is not running.
    case ingress(slot: Int, choices: [Int], trap: Bool)
    /// The request at the head of the queue `from → to` starts executing at `to` (T3+T4).
    case deliverRequest(from: CanisterId, to: CanisterId, choices: [Int], trap: Bool)
    /// The request at the head of the queue `from → to` is rejected by the callee's system
    /// before execution (T2): stopping/stopped or empty → CANISTER_ERROR, frozen → SYS_TRANSIENT.
    case rejectRequest(from: CanisterId, to: CanisterId, code: RejectCode)
    /// The response to `call` is delivered and its callback executes (T10+T4), followed by the
    /// cleanup handler if the callback traps (T4a).
    case deliverResponse(call: CallId, choices: [Int], trap: Bool)
    /// The response to `call` is discarded without running code: the callback already expired
    /// (its refund is lost, T11) or the caller's context was deleted by an uninstall (T10b).
    case discardResponse(call: CallId)
    /// A context that needs a response but can no longer get one is rejected (T8).
    case starveContext(ContextId)
    /// A context that is answered and unreferenced is removed (T9).
    case removeContext(ContextId)
    /// The system rejects the request of `call` spontaneously (T6); full refund.
    case systemReject(call: CallId, code: RejectCode)
    /// The best-effort `call` expires (T7): the caller gets SYS_UNKNOWN with refund 0.
    case expireCall(call: CallId)
    /// The best-effort request of `call` is dropped (load shedding); its cycles are lost.
    case dropRequest(call: CallId)
    /// The best-effort response of `call` is dropped; the caller gets SYS_UNKNOWN, refund lost.
    case dropResponse(call: CallId)
    /// A controller asks to stop the canister (T13).
    case stopCanister(CanisterId)
    /// A stopping canister without call contexts becomes stopped (T13).
    case completeStop(CanisterId)
    /// A pending stop request times out with SYS_TRANSIENT; the canister stays stopping.
    case stopRequestTimeout(CanisterId)
    /// A controller starts the canister (T13); pending stop requests are rejected.
    case startCanister(CanisterId)
    /// A controller upgrades the canister's code (T15); call contexts and callbacks survive.
    case upgradeCanister(CanisterId)
    /// A controller uninstalls the code (T14): open contexts are rejected with CANISTER_REJECT.
    case uninstallCanister(CanisterId)
    /// A controller installs code on the empty canister (`install_code` mode `install`): fresh
    /// program state, no timer; contexts (deleted by the uninstall) and callbacks stay as they are.
    case installCanister(CanisterId)
    /// A controller reinstalls the canister (`install_code` mode `reinstall`): code and state
    /// replaced as by a fresh install; open contexts and callbacks survive (AB: no reject, unlike
    /// an uninstall), so callbacks of the old code run on the new code's fresh state.
    case reinstallCanister(CanisterId)
    /// Time advances by one second (T16).
    case tick
    /// The canister's heartbeat runs in a new system-task context (AB `Heartbeat`).
    case heartbeat(CanisterId, choices: [Int], trap: Bool)
    /// The canister's global timer has passed: it is deactivated and the timer task runs in a
    /// new system-task context (AB `GlobalTimer`).
    case globalTimer(CanisterId, choices: [Int], trap: Bool)
    /// The system rejects the ingress message at `slot` before it executes (SYS_TRANSIENT;
    /// `faults.ingressRejects`).
    case rejectIngress(slot: Int)
    /// The management canister executes the request at the head of the queue `from → aaaaa-aa`
    /// (`deposit_cycles`, `stop_canister`, `start_canister`, `install_code`; `ManagementMethod`).
    case managementCall(from: CanisterId)
    /// A `stop_canister` call (`call`) the management canister holds times out: SYS_TRANSIENT,
    /// the target stays stopping (`faults.stopTimeouts`).
    case stopCallTimeout(call: CallId)

    /// The canister whose code this step runs, for a request delivery, a response delivery
    /// (the caller's callback) or a system task; `nil` for every other step (an ingress
    /// message's canister is the configuration's, not the action's).
    public var executingCanister: CanisterId? {
        switch self {
        case .deliverRequest(_, let to, _, _): to
        case .deliverResponse(let call, _, _): call.caller
        case .heartbeat(let canister, _, _), .globalTimer(let canister, _, _): canister
        default: nil
        }
    }

    public var name: String {
        switch self {
        case .ingress: "ingress"
        case .deliverRequest: "deliverRequest"
        case .rejectRequest: "rejectRequest"
        case .deliverResponse: "deliverResponse"
        case .discardResponse: "discardResponse"
        case .starveContext: "starveContext"
        case .removeContext: "removeContext"
        case .systemReject: "systemReject"
        case .expireCall: "expireCall"
        case .dropRequest: "dropRequest"
        case .dropResponse: "dropResponse"
        case .stopCanister: "stopCanister"
        case .completeStop: "completeStop"
        case .stopRequestTimeout: "stopRequestTimeout"
        case .startCanister: "startCanister"
        case .upgradeCanister: "upgradeCanister"
        case .uninstallCanister: "uninstallCanister"
        case .installCanister: "installCanister"
        case .reinstallCanister: "reinstallCanister"
        case .tick: "tick"
        case .heartbeat: "heartbeat"
        case .globalTimer: "globalTimer"
        case .rejectIngress: "rejectIngress"
        case .managementCall: "managementCall"
        case .stopCallTimeout: "stopCallTimeout"
        }
    }

    public var description: String {
        func extras(_ choices: [Int], _ trap: Bool) -> String {
            (choices.isEmpty ? "" : " choices=\(choices)") + (trap ? " [system trap]" : "")
        }
        switch self {
        case .ingress(let slot, let choices, let trap): return "ingress #\(slot)" + extras(choices, trap)
        case .deliverRequest(let from, let to, let choices, let trap):
            return "deliver request \(from)→\(to)" + extras(choices, trap)
        case .rejectRequest(let from, let to, let code): return "reject request \(from)→\(to) with \(code)"
        case .deliverResponse(let call, let choices, let trap): return "deliver response of \(call)" + extras(choices, trap)
        case .discardResponse(let call): return "discard response of \(call)"
        case .starveContext(let context): return "starve \(context) (CANISTER_ERROR)"
        case .removeContext(let context): return "remove \(context)"
        case .systemReject(let call, let code): return "system rejects \(call) with \(code)"
        case .expireCall(let call): return "expire \(call) (SYS_UNKNOWN)"
        case .dropRequest(let call): return "drop request of \(call)"
        case .dropResponse(let call): return "drop response of \(call)"
        case .stopCanister(let id): return "stop \(id)"
        case .completeStop(let id): return "\(id) stopped"
        case .stopRequestTimeout(let id): return "stop request for \(id) times out"
        case .startCanister(let id): return "start \(id)"
        case .upgradeCanister(let id): return "upgrade \(id)"
        case .uninstallCanister(let id): return "uninstall \(id)"
        case .installCanister(let id): return "install code on \(id)"
        case .reinstallCanister(let id): return "reinstall \(id)"
        case .tick: return "tick"
        case .heartbeat(let id, let choices, let trap): return "heartbeat of \(id)" + extras(choices, trap)
        case .globalTimer(let id, let choices, let trap): return "global timer of \(id)" + extras(choices, trap)
        case .rejectIngress(let slot): return "system rejects ingress #\(slot) (SYS_TRANSIENT)"
        case .managementCall(let from): return "management canister executes the request from \(from)"
        case .stopCallTimeout(let call): return "stop_canister call \(call) times out (SYS_TRANSIENT)"
        }
    }
}
