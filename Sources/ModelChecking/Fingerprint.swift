/// A value with a stable 64-bit fingerprint: the same on every run, process and machine.
///
/// Swift's `hashValue` is seeded per process, so it cannot identify states across runs or
/// make counts reproducible; fingerprints feed the visited set and trace reconstruction instead.
/// Conform like `Hashable.hash(into:)`: feed every field that `==` compares, in a fixed order.
public protocol Fingerprintable {
    func fingerprint(into hasher: inout FingerprintHasher)
}

extension Fingerprintable {
    /// The stable 64-bit fingerprint of this value.
    @inlinable
    public var fingerprint: UInt64 {
        var hasher = FingerprintHasher()
        fingerprint(into: &hasher)
        return hasher.finalize()
    }
}

/// A fast, seedless, non-cryptographic 64-bit hasher (wyhash-style multiply-mix).
///
/// Not `Hasher`: its output must never depend on the process.
public struct FingerprintHasher: Sendable {
    @usableFromInline var state: UInt64
    @usableFromInline var count: UInt64

    /// The seed of a fresh hasher.
    @inlinable
    public static var defaultSeed: UInt64 { 0x243F_6A88_85A3_08D3 }

    @inlinable
    public init(seed: UInt64 = FingerprintHasher.defaultSeed) {
        state = seed
        count = 0
    }

    @inlinable
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// The hasher's words, to resume from later (`init(state:count:)`): a value that caches
    /// what it feeds a fresh hasher (`isFresh`) replays it as two stores.
    @inlinable
    public var words: (state: UInt64, count: UInt64) { (state, count) }

    /// A hasher that continues from `words` taken earlier.
    @inlinable
    public init(state: UInt64, count: UInt64) {
        self.state = state
        self.count = count
    }

    /// Whether nothing has been fed yet and the seed is the default one (then what a value
    /// feeds leaves the same words every time).
    @inlinable
    public var isFresh: Bool { count == 0 && state == Self.defaultSeed }

    /// Feeds one 64-bit word.
    @inlinable
    public mutating func combine(_ word: UInt64) {
        state = Self.mix(state ^ word ^ 0xA076_1D64_78BD_642F, 0xE703_7ED1_A0B4_28DB)
        count &+= 1
    }

    /// Feeds any fingerprintable value.
    @inlinable
    public mutating func combine<T: Fingerprintable>(_ value: T) {
        value.fingerprint(into: &self)
    }

    /// The final 64-bit fingerprint.
    @inlinable
    public func finalize() -> UInt64 {
        Self.mix(state ^ count ^ 0x8EBC_6AF0_9C88_C6E3, 0x5899_65CC_7537_4CC3)
    }
}

extension UInt64: Fingerprintable {
    @inlinable public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(self) }
}
extension Int: Fingerprintable {
    @inlinable public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(UInt64(bitPattern: Int64(self))) }
}
extension Int64: Fingerprintable {
    @inlinable public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(UInt64(bitPattern: self)) }
}
extension Int32: Fingerprintable {
    @inlinable public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(UInt64(bitPattern: Int64(self))) }
}
extension Int16: Fingerprintable {
    @inlinable public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(UInt64(bitPattern: Int64(self))) }
}
extension Int8: Fingerprintable {
    @inlinable public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(UInt64(bitPattern: Int64(self))) }
}
extension UInt: Fingerprintable {
    @inlinable public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(UInt64(self)) }
}
extension UInt32: Fingerprintable {
    @inlinable public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(UInt64(self)) }
}
extension UInt16: Fingerprintable {
    @inlinable public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(UInt64(self)) }
}
extension UInt8: Fingerprintable {
    @inlinable public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(UInt64(self)) }
}
extension Bool: Fingerprintable {
    @inlinable public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(self ? 1 : 0) }
}

extension String: Fingerprintable {
    /// Eight UTF-8 bytes a word (little-endian, zero-padded), then the length.
    public func fingerprint(into hasher: inout FingerprintHasher) {
        var copy = self
        copy.withUTF8 { bytes in
            let count = bytes.count
            var offset = 0
            while offset + 8 <= count {
                hasher.combine(UInt64(littleEndian: UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                offset += 8
            }
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                word |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
            hasher.combine(word)
            hasher.combine(UInt64(count))
        }
    }
}

extension Optional: Fingerprintable where Wrapped: Fingerprintable {
    @inlinable
    public func fingerprint(into hasher: inout FingerprintHasher) {
        switch self {
        case .none: hasher.combine(UInt64(0))
        case .some(let value):
            hasher.combine(UInt64(1))
            value.fingerprint(into: &hasher)
        }
    }
}

extension Array: Fingerprintable where Element: Fingerprintable {
    /// Reads the elements in place: `for element in self` copied each one (a retain and a
    /// release per reference it holds), a tenth of the IC model's state fingerprints.
    @inlinable
    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(UInt64(count))
        withUnsafeBufferPointer { elements in
            for index in elements.indices { elements[index].fingerprint(into: &hasher) }
        }
    }
}

extension Set: Fingerprintable where Element: Fingerprintable {
    /// Order-independent: a set's iteration order depends on the process's hash seed.
    @inlinable
    public func fingerprint(into hasher: inout FingerprintHasher) {
        var sum: UInt64 = 0
        var xor: UInt64 = 0
        for element in self {
            let value = element.fingerprint
            sum &+= value
            xor ^= value
        }
        hasher.combine(UInt64(count))
        hasher.combine(sum)
        hasher.combine(xor)
    }
}

extension Dictionary: Fingerprintable where Key: Fingerprintable, Value: Fingerprintable {
    /// Order-independent, like `Set`.
    @inlinable
    public func fingerprint(into hasher: inout FingerprintHasher) {
        var sum: UInt64 = 0
        var xor: UInt64 = 0
        for (key, value) in self {
            var entry = FingerprintHasher()
            key.fingerprint(into: &entry)
            value.fingerprint(into: &entry)
            let combined = entry.finalize()
            sum &+= combined
            xor ^= combined
        }
        hasher.combine(UInt64(count))
        hasher.combine(sum)
        hasher.combine(xor)
    }
}
