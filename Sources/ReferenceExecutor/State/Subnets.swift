import ICCore

/// Which subnet hosts each canister. Messages between canisters on one subnet go straight from
/// the sender's output queue to the receiver's input queue; between subnets they travel through
/// an ordered stream (ic-semantics.md §1.4).
public struct SubnetLayout: Hashable, Sendable, Codable {
    /// Subnet index per canister index.
    public let assignment: [Int]

    public init(assignment: [Int]) { self.assignment = assignment }

    /// Every canister on a subnet of its own (all traffic crosses streams).
    public static func separate(canisters: Int) -> SubnetLayout {
        SubnetLayout(assignment: Array(0..<canisters))
    }

    /// All canisters on one subnet (no streams).
    public static func single(canisters: Int) -> SubnetLayout {
        SubnetLayout(assignment: Array(repeating: 0, count: canisters))
    }

    public func subnet(of canister: CanisterId) -> Int {
        canister.index < assignment.count ? assignment[canister.index] : canister.index
    }

    public var subnets: [Int] { Array(Set(assignment)).sorted() }
}

/// A directed stream between two subnets.
struct StreamKey: Hashable, Sendable, Comparable {
    let from: Int
    let to: Int
    static func < (lhs: StreamKey, rhs: StreamKey) -> Bool { (lhs.from, lhs.to) < (rhs.from, rhs.to) }
}
