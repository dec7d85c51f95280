import ModelChecking

/// What an erased program value is to its program: its state or a continuation. A phantom
/// type: it keeps `AnyCanisterState` and `AnyContinuation` apart while one type implements both.
public protocol ProgramValueRole: Sendable {}

/// The role of a canister's state (`AnyCanisterState`).
public enum StateRole: ProgramValueRole {}

/// The role of a call's continuation (`AnyContinuation`).
public enum ContinuationRole: ProgramValueRole {}

/// A program's state or continuation with its type erased, so that canisters running different
/// programs live side by side in one system state.
///
/// The fingerprint is computed once, when the value is made (after a message execution, from a
/// `FingerprintMemo`), and cached: such values are carried unchanged through most transitions,
/// and the encoder-based default fingerprint of a user's `Codable` type is far too slow to
/// recompute for every successor. The value lives in an immutable typed box (as `Payload`'s
/// does), interned (`InternedBoxes`): the value itself is the box's number and the
/// fingerprint, so copying a canister record counts no references, and reading the value back
/// (`as(_:)`) or comparing two values is a virtual call that compares type pointers, not a
/// cast out of an existential, which looks up conformances at run time.
public struct AnyProgramValue<Role: ProgramValueRole>: Hashable, Sendable, Encodable, Fingerprintable, CustomStringConvertible {
    @usableFromInline
    class Storage: @unchecked Sendable {  // immutable: only `let`s, here and in the subclass
        @usableFromInline let fingerprint: UInt64

        @usableFromInline
        init(fingerprint: UInt64) { self.fingerprint = fingerprint }

        @usableFromInline var base: any CanisterState { preconditionFailure("AnyProgramValue.Storage is abstract") }
        @usableFromInline func isEqual(to other: Storage) -> Bool { preconditionFailure("AnyProgramValue.Storage is abstract") }
        /// The value if it has type `Wanted`. A method of the box rather than a cast to
        /// `TypedStorage<Wanted>`, because generic callers (properties reading a view through
        /// `any ICView`) would look that class's metadata up at run time on every call.
        @usableFromInline func typedValue<Wanted>(as wanted: Wanted.Type) -> Wanted? { preconditionFailure("AnyProgramValue.Storage is abstract") }
    }

    @usableFromInline
    final class TypedStorage<Value: CanisterState>: Storage, @unchecked Sendable {
        @usableFromInline let typed: Value

        @usableFromInline
        init(_ typed: Value, fingerprint: UInt64) {
            self.typed = typed
            super.init(fingerprint: fingerprint)
        }

        @usableFromInline override var base: any CanisterState { typed }
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

    /// The value's number among the process's program values of its role (`InternedBoxes`):
    /// equal values have equal numbers, and copying one (a canister record, a callback) counts
    /// no references.
    @usableFromInline let number: UInt32
    /// `base.fingerprint`, cached.
    public let cachedFingerprint: UInt64

    /// The value's box.
    @inlinable
    var storage: Storage { Self.reader.box(number, as: Storage.self) }

    /// The hot side of this role's table (see `InternedBoxes.Reader`).
    @inlinable
    static var reader: InternedBoxes.Reader { Role.self == StateRole.self ? programStateReader : continuationReader }

    /// The value, as an existential (for encoding and diagnostics; programs read it with `as(_:)`).
    public var base: any CanisterState { storage.base }

    @inlinable
    public init<Value: CanisterState>(_ base: Value) {
        let storage = Self.makeStorage(base, fingerprint: base.fingerprint)
        number = Self.reader.number(fingerprint: storage.fingerprint, as: Storage.self, matches: { $0.isEqual(to: storage) }) { storage }
        cachedFingerprint = storage.fingerprint
    }

    /// The box for a value made outside the search (a program's initial state, as the catalogue
    /// is built): generic on purpose, never specialised. Specialised code would look
    /// `TypedStorage<Role, Value>`'s metadata up by its mangled name, and the runtime checks
    /// `Value: CanisterState` by scanning every conformance record of the process, about a
    /// million instructions per type, for every program of the catalogue at every start-up.
    /// Generic code has the witness table in hand and asks the metadata accessor.
    @usableFromInline @inline(never) @_semantics("optimize.sil.specialize.generic.never")
    static func makeStorage<Value: CanisterState>(_ base: Value, fingerprint: UInt64) -> Storage {
        TypedStorage(base, fingerprint: fingerprint)
    }

    /// With the fingerprint known already (from a `FingerprintMemo`): after a message execution,
    /// on the search's hot path (see `InternedBoxes.Reader.number`).
    @inlinable
    init<Value: CanisterState>(_ base: Value, fingerprint: UInt64) {
        number = Self.reader.number(fingerprint: fingerprint, as: Storage.self, matches: { TypedStorage<Value>.box($0, holds: base) }) {
            TypedStorage(base, fingerprint: fingerprint)
        }
        cachedFingerprint = fingerprint
    }

    /// The value as its concrete type, or `nil` if it has another type. Inlinable so that
    /// properties, which ask on every state, get it specialised for their type.
    @inlinable
    public func `as`<Value: CanisterState>(_ type: Value.Type) -> Value? {
        Self.reader.withBox(number, as: Storage.self) { $0.typedValue(as: type) }
    }

    @inlinable
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.number == rhs.number
    }

    @inlinable
    public func hash(into hasher: inout Hasher) { hasher.combine(cachedFingerprint) }
    @inlinable
    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(cachedFingerprint) }
    public func encode(to encoder: Encoder) throws { try base.encode(to: encoder) }

    /// The value as plain JSON data: what traces record and replay compares.
    public var json: JSONValue { JSONValue(encoding: base) }

    public var description: String { json.compactDescription }
}

/// The interned program states and continuations (tables held here), and their hot sides
/// (`AnyProgramValue.reader`).
private let programStateBoxes = InternedBoxes()
private let continuationBoxes = InternedBoxes()
@usableFromInline let programStateReader = programStateBoxes.reader
@usableFromInline let continuationReader = continuationBoxes.reader

/// A canister program's state with its type erased (see `AnyProgramValue`).
public typealias AnyCanisterState = AnyProgramValue<StateRole>

/// A continuation with its type erased (see `AnyProgramValue`).
public typealias AnyContinuation = AnyProgramValue<ContinuationRole>
