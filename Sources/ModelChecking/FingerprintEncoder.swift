/// Fingerprints for `Encodable` values: a state type only has to declare
/// `extension MyState: Fingerprintable {}` when it is already `Encodable`.
///
/// The value is fed through a small `Encoder` straight into a `FingerprintHasher`, without
/// building any intermediate representation. The result is deterministic across runs:
/// - keyed containers are hashed in the order the value encodes its keys (synthesised `Codable`
///   uses declaration order), each key by its string;
/// - every token carries its nesting depth and kind, so different shapes cannot produce the same
///   token stream (e.g. `[[1], 2]` and `[[1, 2]]` differ);
/// - `Set` and `Dictionary`, whose iteration order depends on the per-process hash seed, are
///   hashed order-independently (like their `Fingerprintable` conformances).
///
/// Hand-written `fingerprint(into:)` is faster; this default trades speed for convenience.
extension Fingerprintable where Self: Encodable {
    public func fingerprint(into hasher: inout FingerprintHasher) {
        let sink = FingerprintSink(hasher)
        sink.encodeValue(self, depth: 0)
        hasher = sink.hasher
    }
}

/// Token kinds, combined with the nesting depth into one word per token.
@usableFromInline
enum FingerprintToken: UInt64 {
    case null = 1, bool, int, uint, double, float, string, key, element, keyed, unkeyed, single, superEncoder, unordered, index
}

/// Mutable hashing state shared by the encoder and its containers.
@usableFromInline
final class FingerprintSink {
    var hasher: FingerprintHasher

    init(_ hasher: FingerprintHasher) { self.hasher = hasher }

    @inline(__always)
    func token(_ kind: FingerprintToken, _ depth: Int) {
        hasher.combine(kind.rawValue | (UInt64(truncatingIfNeeded: depth) << 8))
    }

    func encodeValue<T: Encodable>(_ value: T, depth: Int) {
        if let unordered = value as? any UnorderedFingerprintEncodable {
            unordered.fingerprintUnordered(into: self, depth: depth)
            return
        }
        // Errors cannot occur: no container of this encoder throws.
        try? value.encode(to: FingerprintingEncoder(sink: self, depth: depth))
    }

    /// The fingerprint of `value` on its own, used for order-independent combination.
    static func isolatedFingerprint<T: Encodable>(_ value: T) -> UInt64 {
        let sink = FingerprintSink(FingerprintHasher())
        sink.encodeValue(value, depth: 0)
        return sink.hasher.finalize()
    }
}

/// Collections whose encoding order is not stable across processes.
protocol UnorderedFingerprintEncodable {
    func fingerprintUnordered(into sink: FingerprintSink, depth: Int)
}

extension Set: UnorderedFingerprintEncodable where Element: Encodable {
    func fingerprintUnordered(into sink: FingerprintSink, depth: Int) {
        var sum: UInt64 = 0
        var xor: UInt64 = 0
        for element in self {
            let value = FingerprintSink.isolatedFingerprint(element)
            sum &+= value
            xor ^= value
        }
        sink.token(.unordered, depth)
        sink.hasher.combine(UInt64(count))
        sink.hasher.combine(sum)
        sink.hasher.combine(xor)
    }
}

extension Dictionary: UnorderedFingerprintEncodable where Key: Encodable, Value: Encodable {
    func fingerprintUnordered(into sink: FingerprintSink, depth: Int) {
        var sum: UInt64 = 0
        var xor: UInt64 = 0
        for (key, value) in self {
            let entrySink = FingerprintSink(FingerprintHasher())
            entrySink.encodeValue(key, depth: 0)
            entrySink.encodeValue(value, depth: 1)
            let combined = entrySink.hasher.finalize()
            sum &+= combined
            xor ^= combined
        }
        sink.token(.unordered, depth)
        sink.hasher.combine(UInt64(count))
        sink.hasher.combine(sum)
        sink.hasher.combine(xor)
    }
}

struct FingerprintingEncoder: Encoder {
    let sink: FingerprintSink
    let depth: Int

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        sink.token(.keyed, depth)
        return KeyedEncodingContainer(FingerprintKeyedContainer<Key>(sink: sink, depth: depth + 1))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        sink.token(.unkeyed, depth)
        return FingerprintUnkeyedContainer(sink: sink, depth: depth + 1)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        sink.token(.single, depth)
        return FingerprintSingleContainer(sink: sink, depth: depth + 1)
    }
}

/// Primitive encoding shared by the three container kinds.
private protocol FingerprintPrimitives {
    var sink: FingerprintSink { get }
    var depth: Int { get }
}

extension FingerprintPrimitives {
    func put(_ value: Bool) { sink.token(.bool, depth); sink.hasher.combine(value ? 1 : 0) }
    func put(signed value: Int64) { sink.token(.int, depth); sink.hasher.combine(UInt64(bitPattern: value)) }
    func put(unsigned value: UInt64) { sink.token(.uint, depth); sink.hasher.combine(value) }
    func put(_ value: Double) { sink.token(.double, depth); sink.hasher.combine(value.bitPattern) }
    func put(_ value: Float) { sink.token(.float, depth); sink.hasher.combine(UInt64(value.bitPattern)) }
    func put(_ value: String) { sink.token(.string, depth); value.fingerprint(into: &sink.hasher) }
    func putNil() { sink.token(.null, depth) }
    func put<T: Encodable>(value: T) { sink.encodeValue(value, depth: depth) }
}

private struct FingerprintKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol, FingerprintPrimitives {
    let sink: FingerprintSink
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    private func key(_ key: Key) {
        sink.token(.key, depth)
        key.stringValue.fingerprint(into: &sink.hasher)
    }

    mutating func encodeNil(forKey key: Key) throws { self.key(key); putNil() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { self.key(key); put(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { self.key(key); put(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { self.key(key); put(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { self.key(key); put(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { self.key(key); put(signed: Int64(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { self.key(key); put(signed: Int64(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { self.key(key); put(signed: Int64(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { self.key(key); put(signed: Int64(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { self.key(key); put(signed: value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { self.key(key); put(unsigned: UInt64(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { self.key(key); put(unsigned: UInt64(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { self.key(key); put(unsigned: UInt64(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { self.key(key); put(unsigned: UInt64(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { self.key(key); put(unsigned: value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { self.key(key); put(value: value) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        self.key(key)
        return FingerprintingEncoder(sink: sink, depth: depth).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        self.key(key)
        return FingerprintingEncoder(sink: sink, depth: depth).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        sink.token(.superEncoder, depth)
        return FingerprintingEncoder(sink: sink, depth: depth + 1)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        self.key(key)
        sink.token(.superEncoder, depth)
        return FingerprintingEncoder(sink: sink, depth: depth + 1)
    }
}

private struct FingerprintUnkeyedContainer: UnkeyedEncodingContainer, FingerprintPrimitives {
    let sink: FingerprintSink
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    private(set) var count: Int = 0

    init(sink: FingerprintSink, depth: Int) {
        self.sink = sink
        self.depth = depth
    }

    private mutating func element() {
        sink.token(.element, depth)
        count += 1
    }

    mutating func encodeNil() throws { element(); putNil() }
    mutating func encode(_ value: Bool) throws { element(); put(value) }
    mutating func encode(_ value: String) throws { element(); put(value) }
    mutating func encode(_ value: Double) throws { element(); put(value) }
    mutating func encode(_ value: Float) throws { element(); put(value) }
    mutating func encode(_ value: Int) throws { element(); put(signed: Int64(value)) }
    mutating func encode(_ value: Int8) throws { element(); put(signed: Int64(value)) }
    mutating func encode(_ value: Int16) throws { element(); put(signed: Int64(value)) }
    mutating func encode(_ value: Int32) throws { element(); put(signed: Int64(value)) }
    mutating func encode(_ value: Int64) throws { element(); put(signed: value) }
    mutating func encode(_ value: UInt) throws { element(); put(unsigned: UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { element(); put(unsigned: UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { element(); put(unsigned: UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { element(); put(unsigned: UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { element(); put(unsigned: value) }
    mutating func encode<T: Encodable>(_ value: T) throws { element(); put(value: value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        element()
        return FingerprintingEncoder(sink: sink, depth: depth).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        element()
        return FingerprintingEncoder(sink: sink, depth: depth).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        element()
        sink.token(.superEncoder, depth)
        return FingerprintingEncoder(sink: sink, depth: depth + 1)
    }
}

private struct FingerprintSingleContainer: SingleValueEncodingContainer, FingerprintPrimitives {
    let sink: FingerprintSink
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { putNil() }
    mutating func encode(_ value: Bool) throws { put(value) }
    mutating func encode(_ value: String) throws { put(value) }
    mutating func encode(_ value: Double) throws { put(value) }
    mutating func encode(_ value: Float) throws { put(value) }
    mutating func encode(_ value: Int) throws { put(signed: Int64(value)) }
    mutating func encode(_ value: Int8) throws { put(signed: Int64(value)) }
    mutating func encode(_ value: Int16) throws { put(signed: Int64(value)) }
    mutating func encode(_ value: Int32) throws { put(signed: Int64(value)) }
    mutating func encode(_ value: Int64) throws { put(signed: value) }
    mutating func encode(_ value: UInt) throws { put(unsigned: UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { put(unsigned: UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { put(unsigned: UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { put(unsigned: UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { put(unsigned: value) }
    mutating func encode<T: Encodable>(_ value: T) throws { put(value: value) }
}
