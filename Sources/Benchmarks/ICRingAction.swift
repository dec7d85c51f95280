/// One action instance of IC-Ring (ic-ring.md, "Actions"); `canister` is the caller `i`.
///
/// Small integer payloads keep the enum trivial (no reference counting) so the successor loop
/// allocates nothing.
public enum ICRingAction: Hashable, Sendable, CustomStringConvertible {
    case call(canister: UInt8)
    case reply(canister: UInt8)
    case reject(canister: UInt8)
    case dropRequest(canister: UInt8)
    case deliver(canister: UInt8, id: UInt8, refund: UInt8)
    case dropResponse(canister: UInt8, id: UInt8, refund: UInt8)
    case timeout(canister: UInt8, id: UInt8)

    public var description: String {
        switch self {
        case .call(let i): return "Call(\(i))"
        case .reply(let i): return "Reply(\(i))"
        case .reject(let i): return "Reject(\(i))"
        case .dropRequest(let i): return "DropRequest(\(i))"
        case .deliver(let i, let id, let refund): return "Deliver(\(i), <<\(id), \(refund)>>)"
        case .dropResponse(let i, let id, let refund): return "DropResponse(\(i), <<\(id), \(refund)>>)"
        case .timeout(let i, let id): return "Timeout(\(i), \(id))"
        }
    }
}
