import Foundation
import ModelChecking
import Synchronization

/// What a call's arguments and a reply's data may be: traces show it (`Codable`), the model
/// compares and fingerprints it (`Hashable`), and parallel workers share it (`Sendable`).
public typealias PayloadValue = Codable & Hashable & Sendable

/// The arguments of a call or the data of a reply (`ic0.msg_arg_data`,
/// `ic0.msg_reply_data_append`): any `PayloadValue`, with its type erased so that canisters
/// of different programs exchange values in one system state.
///
/// Programs write their own types (`execution.call(ledger, "transfer", arguments: Transfer(…))`)
/// and read them back typed (`try call.arguments(as: Transfer.self)`); integer lists stay
/// short to write (`arguments: [2, 1]`, `reply([0])`).
///
/// The fingerprint is computed once, when the payload is made, from the value's type and the
/// value (its own `fingerprint(into:)` when it is `Fingerprintable`, else its encoding), and
/// cached: messages are carried unchanged through many transitions. Two payloads are equal when
/// their values have the same type and are equal; values are interned (`InternedBoxes`), so
/// equal payloads share one box and number, and a payload is two words without references.
///
/// A payload encodes as its value's JSON. Read back from JSON (a trace), it holds that JSON
/// (`JSONValue`), except integers, integer lists, strings and booleans, which come back as `Int`,
/// `[Int]`, `String` and `Bool`; `as(_:)` decodes it into the program's type, and `json` is the
/// canonical form to compare payloads of different origins.
public struct Payload: Hashable, Sendable, Codable, Fingerprintable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// The value with its fingerprint. The typed subclass makes reading a value back
    /// (`as(_:)`) and comparing two payloads one class cast each, not a cast out of an
    /// existential (which looks up conformances at run time).
    @usableFromInline
    class Storage: @unchecked Sendable {  // immutable: only `let`s, here and in the subclass
        @usableFromInline let fingerprint: UInt64

        @usableFromInline
        init(fingerprint: UInt64) { self.fingerprint = fingerprint }

        @usableFromInline var value: any PayloadValue { preconditionFailure("Payload.Storage is abstract") }
        @usableFromInline func isEqual(to other: Storage) -> Bool { preconditionFailure("Payload.Storage is abstract") }
        /// The value if it has type `Wanted`: a method of the box rather than a cast to
        /// `TypedStorage<Wanted>`, whose metadata generic callers would look up at run time.
        @usableFromInline func typedValue<Wanted>(as wanted: Wanted.Type) -> Wanted? { preconditionFailure("Payload.Storage is abstract") }
    }

    @usableFromInline
    final class TypedStorage<Value: PayloadValue>: Storage, @unchecked Sendable {
        @usableFromInline let typed: Value

        @usableFromInline
        init(_ typed: Value, fingerprint: UInt64) {
            self.typed = typed
            super.init(fingerprint: fingerprint)
        }

        @usableFromInline override var value: any PayloadValue { typed }
        /// Compares the boxes' classes, then the values. Not through `typedValue(as:)`: this
        /// method is generic code (a vtable entry), where that call's `Optional<Value>` made the
        /// runtime look metadata up in its shared cache on every comparison, a lock-free read
        /// that both workers of a parallel search contended for.
        @usableFromInline override func isEqual(to other: Storage) -> Bool {
            guard ObjectIdentifier(type(of: other)) == ObjectIdentifier(type(of: self)) else { return false }
            return unsafeDowncast(other, to: Self.self).typed == typed
        }
        /// Whether `box` is a box of this type that holds `value`: how interning recognises a
        /// value made again (specialised where the value is made, so no metadata is looked up).
        @inlinable
        static func box(_ box: Storage, holds value: Value) -> Bool {
            ObjectIdentifier(type(of: box)) == ObjectIdentifier(Self.self) && unsafeDowncast(box, to: Self.self).typed == value
        }
        @usableFromInline override func typedValue<Wanted>(as wanted: Wanted.Type) -> Wanted? {
            Value.self == Wanted.self ? unsafeBitCast(typed, to: Wanted.self) : nil
        }
    }

    /// The value's number among the process's payloads (`InternedBoxes`): equal payloads have
    /// equal numbers, and copying one counts no references.
    @usableFromInline let number: UInt32
    @usableFromInline let cachedFingerprint: UInt64

    /// The interned payloads' table (held here), and its hot side that payloads use.
    private static let boxes = InternedBoxes()
    @usableFromInline static let reader = boxes.reader

    /// The value's box.
    @inlinable
    var storage: Storage { Self.reader.box(number, as: Storage.self) }

    /// The empty payload (Candid's `()`): what `reply()` and a call without arguments carry.
    public static let empty = Payload(integers: [])

    /// `value` as a payload (a payload given here is taken as it is, not wrapped again).
    @inlinable
    public init<Value: PayloadValue>(_ value: Value) {
        if let payload = value as? Payload {
            self = payload
        } else if let integers = value as? [Int] {
            self.init(integers: integers)
        } else {
            self.init(value, fingerprint: Self.fingerprint(of: value))
        }
    }

    /// `value` with its fingerprint, interned (see `InternedBoxes.Reader.number`).
    @inlinable
    init<Value: PayloadValue>(_ value: Value, fingerprint: UInt64) {
        number = Self.reader.number(fingerprint: fingerprint, as: Storage.self, matches: { TypedStorage<Value>.box($0, holds: value) }) {
            TypedStorage(value, fingerprint: fingerprint)
        }
        cachedFingerprint = fingerprint
    }

    /// An integer list, the common case, fingerprinted without any type lookup.
    @usableFromInline
    init(integers: [Int]) {
        var hasher = FingerprintHasher()
        hasher.combine(Self.integersTag)
        hasher.combine(integers)
        self.init(integers, fingerprint: hasher.finalize())
    }

    public init(arrayLiteral elements: Int...) { self.init(integers: elements) }

    /// The value, with its type erased.
    public var value: any PayloadValue { storage.value }

    /// The value as `type`: the value itself when it has that type, otherwise the value's JSON
    /// decoded as `type` (structurally, as Candid decodes; this is how a payload read back from
    /// a trace is read), or `nil` when that fails.
    @inlinable
    public func `as`<Value: PayloadValue>(_ type: Value.Type) -> Value? {
        Self.reader.withBox(number, as: Storage.self) { $0.typedValue(as: type) } ?? decoded(as: type)
    }

    @usableFromInline
    func decoded<Value: PayloadValue>(as type: Value.Type) -> Value? {
        guard let data = try? JSONEncoder().encode(storage.value) else { return nil }
        return try? JSONDecoder().decode(Value.self, from: data)
    }

    /// The value as plain JSON: the canonical form that traces record and replay compares.
    public var json: JSONValue { JSONValue(encoding: storage.value) }

    /// Integer lists as `10, 1`, values with their own description as it (`10, key 1`), others
    /// as one-line JSON: what a counterexample step prints between a method's parentheses.
    public var description: String {
        switch storage.value {
        case let integers as [Int]: integers.map(String.init).joined(separator: ", ")
        case let value as any CustomStringConvertible where !(value is any Collection): value.description
        default: json.compactDescription
        }
    }

    @inlinable
    public static func == (lhs: Payload, rhs: Payload) -> Bool {
        lhs.number == rhs.number
    }

    @inlinable
    public func hash(into hasher: inout Hasher) { hasher.combine(cachedFingerprint) }
    @inlinable
    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(cachedFingerprint) }

    public func encode(to encoder: Encoder) throws { try storage.value.encode(to: encoder) }

    public init(from decoder: Decoder) throws {
        switch try JSONValue(from: decoder) {
        case .int(let integer): self.init(integer)
        case .string(let string): self.init(string)
        case .bool(let bool): self.init(bool)
        case .array(let items) where items.allSatisfy({ if case .int = $0 { true } else { false } }):
            self.init(integers: items.map { if case .int(let integer) = $0 { integer } else { 0 } })
        case let json: self.init(json)
        }
    }

    // MARK: fingerprints

    @inlinable
    static func fingerprint<Value: PayloadValue>(of value: Value) -> UInt64 {
        var hasher = FingerprintHasher()
        hasher.combine(Value.self == Int.self ? integerTag : typeTag(Value.self))
        if let own = value as? any Fingerprintable {
            own.fingerprint(into: &hasher)
        } else {
            hasher.combine(FingerprintAudit.encodedFingerprint(of: value))
        }
        return hasher.finalize()
    }

    /// `[Int]`'s type tag, looked up once.
    @usableFromInline
    static let integersTag = typeTag([Int].self)

    /// `Int`'s type tag, looked up once.
    @usableFromInline
    static let integerTag = typeTag(Int.self)

    private static let typeTags = Mutex<[ObjectIdentifier: UInt64]>([:])

    /// A stable word per type (the fingerprint of its qualified name), so that values of
    /// different types that happen to feed the same words still get different fingerprints.
    @usableFromInline
    static func typeTag(_ type: Any.Type) -> UInt64 {
        let id = ObjectIdentifier(type)
        if let known = typeTags.withLock({ $0[id] }) { return known }
        let tag = String(reflecting: type).fingerprint
        typeTags.withLock { $0[id] = tag }
        return tag
    }
}
