import ModelChecking

/// The statuses of a system's ingress messages (`IngressStatus`, indexed by the
/// configuration's ingress slot), two bits each in two words.
///
/// Why plain data: every state carries the statuses and few steps change them. As an array they
/// were a reference that every state copy, frontier rebuild and candidate counted (one buffer
/// shared by nearly all states, whose count the workers of a parallel search both wrote), and
/// each state fingerprint hashed them element by element. Here a copy is three words and a
/// fingerprint three combines.
public struct IngressStatuses: RandomAccessCollection, MutableCollection, Hashable, Sendable, Fingerprintable,
    ExpressibleByArrayLiteral, CustomStringConvertible
{
    /// The most ingress messages one system may have.
    public static let capacity = 64

    /// Slots 0–31 and 32–63, two bits per slot (`IngressStatus.bits`); bits past `endIndex` are 0.
    @usableFromInline var low: UInt64 = 0
    @usableFromInline var high: UInt64 = 0
    public let endIndex: Int
    public var startIndex: Int { 0 }

    /// `count` slots, all `status`.
    public init(repeating status: IngressStatus = .notSent, count: Int) {
        precondition(
            (0...Self.capacity).contains(count),
            "icmc: a system has at most \(Self.capacity) ingress messages (this one has \(count))")
        endIndex = count
        if status != .notSent { for slot in 0..<count { self[slot] = status } }
    }

    public init<Statuses: Sequence<IngressStatus>>(_ statuses: Statuses) {
        let all = Array(statuses)
        self.init(count: all.count)
        for (slot, status) in all.enumerated() { self[slot] = status }
    }

    public init(arrayLiteral statuses: IngressStatus...) { self.init(statuses) }

    @inlinable
    public subscript(slot: Int) -> IngressStatus {
        get {
            precondition(slot >= 0 && slot < endIndex, "ingress slot \(slot) out of range 0..<\(endIndex)")
            let word = slot < 32 ? low : high
            return IngressStatus(bits: word >> UInt64((slot & 31) * 2))
        }
        set {
            precondition(slot >= 0 && slot < endIndex, "ingress slot \(slot) out of range 0..<\(endIndex)")
            let shift = UInt64((slot & 31) * 2)
            if slot < 32 {
                low = low & ~(3 << shift) | newValue.bits << shift
            } else {
                high = high & ~(3 << shift) | newValue.bits << shift
            }
        }
    }

    @inlinable public func index(after slot: Int) -> Int { slot + 1 }
    @inlinable public func index(before slot: Int) -> Int { slot - 1 }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(UInt64(endIndex))
        hasher.combine(low)
        hasher.combine(high)
    }

    public var description: String { Array(self).description }
}

extension IngressStatus {
    /// The two bits a status takes in `IngressStatuses`.
    @inlinable
    var bits: UInt64 {
        switch self {
        case .notSent: 0
        case .sent: 1
        case .answered: 2
        }
    }

    @inlinable
    init(bits: UInt64) {
        switch bits & 3 {
        case 0: self = .notSent
        case 1: self = .sent
        default: self = .answered
        }
    }
}
