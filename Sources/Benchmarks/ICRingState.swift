import ModelChecking

/// One IC-Ring state, packed into two machine words plus the lost-cycle counter.
///
/// Packing keeps a state 24 bytes, allocation-free and cheap to fingerprint, which is what
/// makes the benchmark measure the engine rather than the model. Canister `i` (at most 4)
/// occupies the 32 bits `32·i ..< 32·i + 32` of `lo` (canisters 0, 1) or `hi` (canisters 2, 3):
///
/// | bits    | field     | encoding                                                          |
/// |---------|-----------|-------------------------------------------------------------------|
/// | 0–2     | `next`    | 1 … K+1                                                           |
/// | 3–14    | `reqs`    | FIFO, 4 slots of 3 bits, head in the lowest slot, 0 = empty slot  |
/// | 15–22   | `resps`   | 2 bits per id 1 … 4: the refund of the response for that id, 0 = none |
/// | 23–26   | `waiting` | bit `id − 1` set when `id` awaits a response                      |
/// | 27–31   | `balance` | 0 … 31                                                            |
///
/// `resps` stores one refund per id, a bijection with the spec's set of pairs: a response is
/// only created by removing its request, and every id is requested at most once, so two
/// responses with the same id never coexist.
public struct ICRingState: Hashable, Sendable, Fingerprintable {
    @usableFromInline var lo: UInt64
    @usableFromInline var hi: UInt64
    /// Cycles that left the system.
    @usableFromInline var lostCycles: UInt32

    /// Cycles that left the system with a dropped message or a late refund.
    public var lost: Int { Int(lostCycles) }

    @inlinable
    init(lo: UInt64, hi: UInt64, lostCycles: UInt32) {
        self.lo = lo
        self.hi = hi
        self.lostCycles = lostCycles
    }

    @inlinable
    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(lo)
        hasher.combine(hi)
        hasher.combine(UInt64(lostCycles))
    }

    /// The packed 32-bit word of canister `i`.
    @inlinable @inline(__always)
    func word(_ i: Int) -> UInt32 {
        let source = i < 2 ? lo : hi
        return UInt32(truncatingIfNeeded: source &>> UInt64((i & 1) &* 32))
    }

    /// Replaces the packed 32-bit word of canister `i`.
    @inlinable @inline(__always)
    mutating func setWord(_ i: Int, _ value: UInt32) {
        let shift = UInt64((i & 1) &* 32)
        let mask = ~(UInt64(UInt32.max) &<< shift)
        let bits = UInt64(value) &<< shift
        if i < 2 {
            lo = (lo & mask) | bits
        } else {
            hi = (hi & mask) | bits
        }
    }
}

/// Field accessors on one canister's packed word (see `ICRingState`).
@usableFromInline
enum CanisterWord {
    @usableFromInline static let nextMask: UInt32 = 0x7
    @usableFromInline static let reqsShift: UInt32 = 3
    @usableFromInline static let reqsMask: UInt32 = 0xFFF
    @usableFromInline static let respsShift: UInt32 = 15
    @usableFromInline static let respsMask: UInt32 = 0xFF
    @usableFromInline static let waitingShift: UInt32 = 23
    @usableFromInline static let waitingMask: UInt32 = 0xF
    @usableFromInline static let balanceShift: UInt32 = 27
    /// Largest number of ids a packed word can describe.
    @usableFromInline static let maxCalls = 4
    /// Largest balance a packed word can hold.
    @usableFromInline static let maxBalance = 31

    @inlinable @inline(__always)
    static func next(_ w: UInt32) -> UInt32 { w & nextMask }

    @inlinable @inline(__always)
    static func reqs(_ w: UInt32) -> UInt32 { (w &>> reqsShift) & reqsMask }

    @inlinable @inline(__always)
    static func resps(_ w: UInt32) -> UInt32 { (w &>> respsShift) & respsMask }

    @inlinable @inline(__always)
    static func waiting(_ w: UInt32) -> UInt32 { (w &>> waitingShift) & waitingMask }

    @inlinable @inline(__always)
    static func balance(_ w: UInt32) -> UInt32 { w &>> balanceShift }

    /// Number of ids in a packed FIFO (slots are filled from the lowest, without gaps).
    @inlinable @inline(__always)
    static func length(ofReqs reqs: UInt32) -> UInt32 {
        if reqs == 0 { return 0 }
        let highestBit = UInt32(31 &- reqs.leadingZeroBitCount)
        return highestBit / 3 &+ 1
    }

    /// Bit `id − 1` set for every id with a response in flight.
    @inlinable @inline(__always)
    static func responsePresence(_ resps: UInt32) -> UInt32 {
        // Fold each 2-bit refund code into its low bit, then gather the low bits.
        let folded = (resps | (resps &>> 1)) & 0x55
        return (folded & 1) | ((folded &>> 1) & 2) | ((folded &>> 2) & 4) | ((folded &>> 3) & 8)
    }
}
