import ModelChecking

/// One IC-Ring state, packed into two machine words (16 bytes).
///
/// Packing keeps a state allocation-free, cheap to copy and to fingerprint (two words), and
/// small in the checker's frontier and candidate buffers, so the benchmark measures the
/// engine rather than the model. Canister `i` (at most 4) occupies 30 bits at `30·(i mod 2)`
/// of `lo` (canisters 0, 1) or `hi` (canisters 2, 3); the top 4 bits of `lo` and of `hi` hold
/// the low and high halves of `lost`:
///
/// | bits    | field     | encoding                                                            |
/// |---------|-----------|---------------------------------------------------------------------|
/// | 0–2     | `next`    | 1 … K+1                                                             |
/// | 3–5     | `reqs`    | FIFO length 0 … 4                                                   |
/// | 6–13    | `reqs`    | FIFO slots, 2 bits each holding `id − 1`, head in the lowest slot   |
/// | 14–21   | `resps`   | 2 bits per id 1 … 4: the refund of the response for that id, 0 = none |
/// | 22–25   | `waiting` | bit `id − 1` set when `id` awaits a response                        |
/// | 26–29   | `balance` | 0 … 15                                                              |
///
/// `resps` stores one refund per id, a bijection with the spec's set of pairs: a response is
/// only created by removing its request, and every id is requested at most once, so two
/// responses with the same id never coexist. Bounds: a balance never exceeds 2K + K ≤ 12 and
/// `lost` never exceeds the 2·K·N ≤ 32 cycles in the system (`ICRing.init` keeps the fault
/// variants within these bounds too).
public struct ICRingState: Hashable, Sendable, Fingerprintable {
    @usableFromInline var lo: UInt64
    @usableFromInline var hi: UInt64

    @usableFromInline static let wordMask: UInt64 = 0x3FFF_FFFF
    @usableFromInline static let lostShift: UInt64 = 60
    @usableFromInline static let payloadMask: UInt64 = (1 << 60) - 1

    @inlinable
    init(lo: UInt64, hi: UInt64) {
        self.lo = lo
        self.hi = hi
    }

    @inlinable
    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(lo)
        hasher.combine(hi)
    }

    /// Cycles that left the system with a dropped message or a late refund.
    public var lost: Int { Int(lostCycles) }

    /// `lost`, split over the top nibbles of `lo` (low half) and `hi` (high half).
    @inlinable
    var lostCycles: UInt32 {
        get { UInt32(truncatingIfNeeded: (lo &>> Self.lostShift) | ((hi &>> Self.lostShift) &<< 4)) }
        set {
            let value = UInt64(newValue & 0xFF)
            lo = (lo & Self.payloadMask) | ((value & 0xF) &<< Self.lostShift)
            hi = (hi & Self.payloadMask) | ((value &>> 4) &<< Self.lostShift)
        }
    }

    /// The packed 30-bit word of canister `i`.
    @inlinable @inline(__always)
    func word(_ i: Int) -> UInt32 {
        let source = i < 2 ? lo : hi
        return UInt32(truncatingIfNeeded: (source &>> UInt64((i & 1) &* 30)) & Self.wordMask)
    }

    /// Replaces the packed 30-bit word of canister `i`.
    @inlinable @inline(__always)
    mutating func setWord(_ i: Int, _ value: UInt32) {
        let shift = UInt64((i & 1) &* 30)
        let mask = ~(Self.wordMask &<< shift)
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
    @usableFromInline static let lengthShift: UInt32 = 3
    @usableFromInline static let slotsShift: UInt32 = 6
    /// Length and slots of the FIFO together.
    @usableFromInline static let queueMask: UInt32 = 0x7FF
    @usableFromInline static let respsShift: UInt32 = 14
    @usableFromInline static let respsMask: UInt32 = 0xFF
    @usableFromInline static let waitingShift: UInt32 = 22
    @usableFromInline static let waitingMask: UInt32 = 0xF
    @usableFromInline static let balanceShift: UInt32 = 26
    @usableFromInline static let balanceMask: UInt32 = 0xF
    /// Largest number of ids a packed word can describe.
    @usableFromInline static let maxCalls = 4

    @inlinable @inline(__always)
    static func next(_ w: UInt32) -> UInt32 { w & nextMask }

    /// Number of ids in the FIFO.
    @inlinable @inline(__always)
    static func length(_ w: UInt32) -> UInt32 { (w &>> lengthShift) & 7 }

    /// The FIFO slots: 2 bits per entry holding `id − 1`, head lowest.
    @inlinable @inline(__always)
    static func slots(_ w: UInt32) -> UInt32 { (w &>> slotsShift) & 0xFF }

    @inlinable @inline(__always)
    static func resps(_ w: UInt32) -> UInt32 { (w &>> respsShift) & respsMask }

    @inlinable @inline(__always)
    static func waiting(_ w: UInt32) -> UInt32 { (w &>> waitingShift) & waitingMask }

    @inlinable @inline(__always)
    static func balance(_ w: UInt32) -> UInt32 { (w &>> balanceShift) & balanceMask }

    /// Bit `id − 1` set for every id with a response in flight.
    @inlinable @inline(__always)
    static func responsePresence(_ resps: UInt32) -> UInt32 {
        // Fold each 2-bit refund code into its low bit, then gather the low bits.
        let folded = (resps | (resps &>> 1)) & 0x55
        return (folded & 1) | ((folded &>> 1) & 2) | ((folded &>> 2) & 4) | ((folded &>> 3) & 8)
    }
}
