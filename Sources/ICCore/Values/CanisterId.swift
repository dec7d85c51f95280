import ModelChecking

/// A canister, identified by its position in the system configuration.
///
/// Small integers keep states compact and traces readable; the IC's principals add nothing to
/// the messaging semantics.
public struct CanisterId: Hashable, Comparable, Sendable, Codable, ExpressibleByIntegerLiteral,
    CustomStringConvertible, Fingerprintable
{
    public let index: Int

    public init(_ index: Int) { self.index = index }
    public init(integerLiteral value: Int) { self.index = value }

    public init(from decoder: Decoder) throws {
        index = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(index)
    }

    public static func < (lhs: CanisterId, rhs: CanisterId) -> Bool { lhs.index < rhs.index }
    public var description: String { self == .management ? "aaaaa-aa" : "C\(index)" }
    @inlinable public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(index) }

    /// `C0 … C(count-1)`: shared arrays for small counts, so that views asked for their canister
    /// ids on every property evaluation do not allocate.
    public static func first(_ count: Int) -> [CanisterId] {
        count < sharedPrefixes.count ? sharedPrefixes[count] : (0..<count).map { CanisterId($0) }
    }

    private static let sharedPrefixes: [[CanisterId]] = (0..<33).map { count in (0..<count).map { CanisterId($0) } }
}

/// Cycles, the IC's unit of computation fees and value transfer. Bounded models use small amounts.
public typealias Cycles = Int

/// Discrete model time in seconds (deadlines are whole seconds on the IC too: `CoarseTime`).
public typealias Time = Int
