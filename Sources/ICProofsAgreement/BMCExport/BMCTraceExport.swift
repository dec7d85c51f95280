import ICProofs
import Foundation
import ICCore
import ICMessaging
import ModelChecking

/// Why a BMC trace cannot be turned into an explicit trace.
public struct BMCExportError: Error, CustomStringConvertible {
    public let step: Int
    public let message: String
    public var description: String { "BMC step \(step + 1): \(message)" }
}

/// Turns a symbolic BMC trace into an explicit `ICSystem` run in the shared ITF trace format.
///
/// The rule sequence is mapped to `ICAction`s and re-executed in the explicit model (so every
/// state of the written trace is an explicit state, and every action is checked to be enabled):
/// an `issueCall` becomes an ingress message to the caller whose method performs that call;
/// `deliverRequest` directly followed by an execution rule of the same call becomes one atomic
/// `deliverRequest` whose choices encode the accepted amount and the response; the other rules
/// map one to one.
public struct BMCTraceExport {
    public let bmc: BMCConfiguration
    public let trace: BMCTrace
    public let faults: FaultSwitches

    public init(configuration: BMCConfiguration, trace: BMCTrace, faults: FaultSwitches = .adversarial) {
        self.bmc = configuration
        self.trace = trace
        self.faults = faults
    }

    /// The explicit configuration: one `BMCCanisterProgram` per canister with the BMC balances,
    /// and one ingress message per `issueCall` of the trace, in order.
    public var configuration: SystemConfiguration {
        let ingress = trace.steps.filter { $0.rule == "issueCall" }.map { s in
            IngressMessage(to: CanisterId(s.params["caller"] ?? 0), "call",
                           arguments: [s.params["callee"] ?? 0, s.params["cycles"] ?? 0, s.params["kind"] ?? 0])
        }
        return SystemConfiguration(
            canisters: bmc.balances.map { CanisterSetup(BMCCanisterProgram(), balance: $0) },
            ingress: ingress, faults: faults, limits: MessagingLimits(maxTime: 1))
    }

    /// The explicit system (named after the trace source, so the ITF `model` identifies it).
    public func system(properties: [ICProperty] = ICMessaging.ICProperties.notGuaranteed) -> ICSystem {
        ICSystem(configuration: configuration, properties: properties, name: "icmc-bmc")
    }

    /// Re-executes the trace in the explicit model; throws if a step has no explicit counterpart
    /// or its action is not enabled.
    public func explicitTrace(properties: [ICProperty] = ICMessaging.ICProperties.notGuaranteed) throws -> Trace<ICSystem> {
        let system = system(properties: properties)
        var state = system.initialStates[0]
        var steps: [Trace<ICSystem>.Step] = []
        var ids: [Int: CallId] = [:]
        var issued: [Int: Int] = [:]
        var slot = 0
        var i = 0
        func call(_ step: Int) throws -> CallId {
            guard let x = trace.steps[step].params["x"], let id = ids[x] else {
                throw BMCExportError(step: step, message: "call \(trace.steps[step].params["x"] ?? -1) was never issued")
            }
            return id
        }
        /// Takes the first enabled successor whose action satisfies `matches` and whose
        /// post-state satisfies `post`.
        func take(_ step: Int, _ what: String, _ matches: (ICAction) -> Bool, post: (ICState) -> Bool = { _ in true }) throws {
            guard let (action, next) = system.successors(of: state).first(where: { matches($0.action) && post($0.state) }) else {
                throw BMCExportError(step: step, message: "\(what) is not enabled in the explicit model")
            }
            steps.append(.init(action: action, state: next))
            state = next
        }
        while i < trace.steps.count {
            let s = trace.steps[i]
            switch s.rule {
            case "issueCall":
                let p = s.params["caller"] ?? 0
                let id = CallId(caller: CanisterId(p), sequence: issued[p, default: 0])
                issued[p, default: 0] += 1
                ids[s.params["x"] ?? 0] = id
                let mySlot = slot
                slot += 1
                try take(i, "ingress #\(mySlot) performing \(id)", {
                    if case .ingress(mySlot, _, false) = $0 { return true } else { return false }
                }, post: { $0.history.calls[id]?.attached == s.params["cycles"] })
            case "deliverRequest":
                let id = try call(i)
                // Merge the execution rule of the same call that follows, if any.
                var accept = 0, response: Int? = nil
                if i + 1 < trace.steps.count, trace.steps[i + 1].params["x"] == s.params["x"],
                   ["executeReply", "executeNoReply", "executeTrap"].contains(trace.steps[i + 1].rule) {
                    let e = trace.steps[i + 1]
                    accept = e.params["accept"] ?? 0
                    if e.rule == "executeReply" { response = e.params["code"] ?? 0 }
                    i += 1
                }
                try take(i, "delivery of \(id) accepting \(accept)", {
                    if case .deliverRequest(id.caller, _, _, false) = $0 { return true } else { return false }
                }, post: { post in
                    guard post.history.calls[id]?.accepted == accept, post.context(.call(id)) != nil else { return false }
                    let r = post.responses.first { $0.call == id && !$0.isSystemNotice }
                    switch response {
                    case nil: return r == nil
                    case .some(let code): return r.map { ConcreteAbstraction.code($0.response) == code } ?? false
                    }
                })
            case "rejectAtCallee":
                let id = try call(i)
                guard let code = RejectCode(rawValue: s.params["code"] ?? 0) else { throw BMCExportError(step: i, message: "bad code") }
                try take(i, "rejection of \(id) with \(code)", { $0 == .rejectRequest(from: id.caller, to: CanisterId(bmcCallee(i)), code: code) })
            case "systemReject":
                let id = try call(i)
                guard let code = RejectCode(rawValue: s.params["code"] ?? 0) else { throw BMCExportError(step: i, message: "bad code") }
                try take(i, "system reject of \(id)", { $0 == .systemReject(call: id, code: code) })
            case "expireCall":
                let id = try call(i)
                try take(i, "expiry of \(id)", { $0 == .expireCall(call: id) })
            case "deliverUnknownReject", "executeCallback":
                let id = try call(i)
                try take(i, "response delivery of \(id)", {
                    if case .deliverResponse(id, _, false) = $0 { return true } else { return false }
                })
            case "dropRequest":
                let id = try call(i)
                try take(i, "request drop of \(id)", { $0 == .dropRequest(call: id) })
            case "dropResponse":
                let id = try call(i)
                try take(i, "response drop of \(id)", { $0 == .dropResponse(call: id) })
            case "dropLateResponse":
                let id = try call(i)
                try take(i, "late response discard of \(id)", { $0 == .discardResponse(call: id) })
            case "starvationReject":
                let id = try call(i)
                try take(i, "starvation of ctx(\(id))", { $0 == .starveContext(.call(id)) })
            case "executeTrap", "upgradeCanister":
                break  // no effect on the messaging state
            case "advanceTime" where (s.params["delta"] ?? 0) == 0:
                break
            default:
                throw BMCExportError(step: i, message: "rule \(s.rule) has no explicit counterpart in the export")
            }
            i += 1
        }
        return Trace(system: system, initialState: system.initialStates[0], steps: steps)
    }

    /// The callee of the call a step acts on (from its `issueCall`).
    private func bmcCallee(_ step: Int) -> Int {
        let x = trace.steps[step].params["x"]
        return trace.steps.first { $0.rule == "issueCall" && $0.params["x"] == x }?.params["callee"] ?? 0
    }

    /// The ITF document: the explicit re-execution, with `#meta.source = "icmc-bmc"`, the fault
    /// switches and controller (so a replay uses the same environment) and the BMC rule sequence.
    public func itf(property: String = ICMessaging.ICProperties.p10AllKindsCycles.name,
                    properties: [ICProperty] = ICMessaging.ICProperties.notGuaranteed) throws -> (trace: Trace<ICSystem>, data: Data) {
        let explicit = try explicitTrace(properties: properties)
        var file = try explicit.traceFile(
            property: property, source: "icmc-bmc",
            description: "\(property) by bounded model checking: \(trace.steps.map(\.rule).joined(separator: ", "))")
        let configuration = configuration
        file.meta["faults"] = JSONValue(encoding: configuration.faults)
        file.meta["controller"] = JSONValue(encoding: configuration.controller)
        file.meta["maxTime"] = .int(configuration.limits.maxTime)
        file.meta["bmcRules"] = .array(trace.steps.map { .string($0.rule) })
        return (explicit, try file.jsonData())
    }
}
