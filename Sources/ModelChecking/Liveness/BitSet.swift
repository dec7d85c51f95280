/// A fixed-size set of small integers, one bit each: per-state flags cost N/8 bytes.
struct LivenessBitSet: Sendable {
    private(set) var words: [UInt64]

    init(count: Int) {
        words = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    /// Grows to hold at least `count` members (new members are absent).
    mutating func reserve(_ count: Int) {
        let needed = (count + 63) / 64
        if needed > words.count { words.append(contentsOf: repeatElement(0, count: needed - words.count)) }
    }

    @inline(__always)
    subscript(_ index: Int) -> Bool {
        get { words[index >> 6] & (1 << UInt64(index & 63)) != 0 }
        set {
            if newValue {
                words[index >> 6] |= 1 << UInt64(index & 63)
            } else {
                words[index >> 6] &= ~(1 << UInt64(index & 63))
            }
        }
    }

    var byteCount: Int { words.count * 8 }
}
