#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Process-wide hash-consing of immutable boxes (payloads, program states, continuations): equal
/// values get one box and one number, and a value is then a number plus its cached fingerprint.
///
/// Why: states copy and drop their messages, records and callbacks on every step. When these
/// held references to boxes, every copy and every drop counted references (atomic operations);
/// on the IC model they were about half of a search's time, and with two workers both cores
/// counted on the same boxes and slowed each other down. A number costs nothing to copy, and
/// equal values compare by number.
///
/// Boxes are never freed: a search meets few distinct payloads and program states (their count
/// is bounded by the model, not by the number of states), and a box kept for the next search
/// of the same process is met again there.
///
/// Thread safety: interning takes the lock of one of `stripeCount` stripes (chosen by the
/// fingerprint), under which a new box is stored before its number is handed out; a number is
/// only ever read by a thread that received it through synchronised data flow (a state passed
/// between workers at a barrier), so reading a box needs no lock. Chunks never move.
@usableFromInline
final class InternedBoxes: @unchecked Sendable {
    @usableFromInline static var chunkBits: Int { 12 }
    @usableFromInline static var chunkMask: Int { (1 << chunkBits) - 1 }
    /// 2^28 boxes at most: far beyond any search's distinct values (each is at least a heap box).
    static let maxChunks = 1 << 16
    static let stripeCount = 16

    /// Chunk pointers (`maxChunks`), each chunk `1 << chunkBits` retained boxes.
    @usableFromInline let chunks: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutableRawPointer>?>
    /// Per stripe: fingerprint → numbers of the boxes with that fingerprint.
    private let stripes: [Stripe]
    /// Guards `next` and chunk allocation.
    private let allocation = Mutex<Int>(0)

    private final class Stripe: Sendable {
        let numbers = Mutex<[UInt64: [UInt32]]>([:])
    }

    /// Per thread, the number last interned or met per fingerprint slot: most values a search
    /// makes (a program's next state, a reply) were made before, and the lookup then takes no
    /// lock and makes no box (`recentNumber(fingerprint:)`). A `pthread` key to plain memory
    /// (`recentSlots` fingerprints, then as many numbers), freed when its thread ends: no
    /// object, so no reference is counted on this path.
    @usableFromInline let recentKey: pthread_key_t
    @usableFromInline static var recentSlots: Int { 256 }
    init() {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in pointer?.deallocate() }
        recentKey = key
        // Zeroed by the kernel page by page as chunks are first used: untouched pointer pages
        // cost no resident memory (an initialised array cost 512 kB per table at once, 35 bytes
        // per state of P1's 27,573).
        chunks = calloc(Self.maxChunks, MemoryLayout<UnsafeMutablePointer<UnsafeMutableRawPointer>?>.stride)!
            .bindMemory(to: UnsafeMutablePointer<UnsafeMutableRawPointer>?.self, capacity: Self.maxChunks)
        stripes = (0..<Self.stripeCount).map { _ in Stripe() }
    }

    /// Only tables made for a while (tests) end: the process-wide ones live as long as the
    /// process. Releases the boxes and the chunks; each thread's recent slots stay (a few kB),
    /// since a deleted `pthread` key runs no destructors.
    deinit {
        let count = allocation.withLock { $0 }
        for number in 0..<count { Unmanaged<AnyObject>.fromOpaque(reader.raw(UInt32(number))).release() }
        for chunk in 0..<((count + Self.chunkMask) >> Self.chunkBits) { chunks[chunk]?.deallocate() }
        free(chunks)
        pthread_key_delete(recentKey)
    }

    /// The table's hot side as plain data (three words): values hold this, not the table,
    /// because loading a class reference from a global retained and released it on every use,
    /// one reference count per transition that both workers of a search made on the same object.
    @usableFromInline
    struct Reader: @unchecked Sendable {
        @usableFromInline let chunks: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutableRawPointer>?>
        @usableFromInline let recentKey: pthread_key_t
        /// For interning a value not seen before; kept alive by its owner (a global).
        @usableFromInline unowned(unsafe) let table: InternedBoxes

        /// The retained box numbered `number`.
        @inlinable @inline(__always)
        func raw(_ number: UInt32) -> UnsafeMutableRawPointer {
            chunks[Int(number) >> InternedBoxes.chunkBits].unsafelyUnwrapped[Int(number) & InternedBoxes.chunkMask]
        }

        /// The box numbered `number`, unretained (the table keeps it alive).
        @inlinable @inline(__always)
        func box<Box: AnyObject>(_ number: UInt32, as type: Box.Type) -> Box {
            Unmanaged<Box>.fromOpaque(raw(number)).takeUnretainedValue()
        }

        /// `body` of the box numbered `number`, read in place (no reference counted): the boxes
        /// of common values are read by every worker at once.
        @inlinable @inline(__always)
        func withBox<Box: AnyObject, Result>(_ number: UInt32, as type: Box.Type, _ body: (Box) -> Result) -> Result {
            Unmanaged<Box>.fromOpaque(raw(number))._withUnsafeGuaranteedRef(body)
        }

        /// The number this thread last interned with `fingerprint`, if it remembers one: a
        /// candidate whose box the caller must still compare with its value.
        @inlinable @inline(__always)
        func recentNumber(fingerprint: UInt64) -> UInt32? {
            guard let recent = pthread_getspecific(recentKey) else { return nil }
            let slot = Int(truncatingIfNeeded: fingerprint) & (InternedBoxes.recentSlots - 1)
            guard recent.load(fromByteOffset: slot &* 8, as: UInt64.self) == fingerprint, fingerprint != 0 else { return nil }
            return recent.load(fromByteOffset: InternedBoxes.recentSlots &* 8 &+ slot &* 4, as: UInt32.self)
        }

        /// The number of the value that `matches` recognises in a box: the one this thread met
        /// last under `fingerprint`'s slot if it is that value (no lock, no new box), else the
        /// table's, storing `make()` if the table has none. `fingerprint` must be equal for
        /// equal values.
        @inlinable @inline(__always)
        func number<Box: AnyObject>(fingerprint: UInt64, as type: Box.Type, matches: (Box) -> Bool, make: () -> Box) -> UInt32 {
            if let candidate = recentNumber(fingerprint: fingerprint), withBox(candidate, as: Box.self, matches) { return candidate }
            return table.number(of: make(), fingerprint: fingerprint, isEqual: matches)
        }
    }

    /// The hot side (see `Reader`).
    @usableFromInline var reader: Reader { Reader(chunks: chunks, recentKey: recentKey, table: self) }

    /// Remembers `number` as this thread's last under `fingerprint`'s slot.
    private func remember(_ number: UInt32, fingerprint: UInt64) {
        var recent = pthread_getspecific(recentKey)
        if recent == nil {
            let fresh = UnsafeMutableRawPointer.allocate(byteCount: Self.recentSlots * 12, alignment: 8)
            fresh.initializeMemory(as: UInt8.self, repeating: 0, count: Self.recentSlots * 12)
            pthread_setspecific(recentKey, fresh)
            recent = fresh
        }
        let slot = Int(truncatingIfNeeded: fingerprint) & (Self.recentSlots - 1)
        recent!.storeBytes(of: fingerprint, toByteOffset: slot * 8, as: UInt64.self)
        recent!.storeBytes(of: number, toByteOffset: Self.recentSlots * 8 + slot * 4, as: UInt32.self)
    }

    /// The number of a box equal to `box` (`isEqual(existing)`), storing `box` if there is
    /// none yet (see `Reader.number(fingerprint:as:matches:make:)`).
    @usableFromInline
    func number<Box: AnyObject>(of box: Box, fingerprint: UInt64, isEqual: (Box) -> Bool) -> UInt32 {
        let number = lockedNumber(of: box, fingerprint: fingerprint, isEqual: isEqual)
        remember(number, fingerprint: fingerprint)
        return number
    }

    private func lockedNumber<Box: AnyObject>(of box: Box, fingerprint: UInt64, isEqual: (Box) -> Bool) -> UInt32 {
        let stripe = stripes[Int(truncatingIfNeeded: fingerprint >> 59) & (Self.stripeCount - 1)]
        return stripe.numbers.withLock { numbers in
            for candidate in numbers[fingerprint] ?? [] where isEqual(self.reader.box(candidate, as: Box.self)) { return candidate }
            let number = store(Unmanaged.passRetained(box).toOpaque())
            numbers[fingerprint, default: []].append(number)
            return number
        }
    }

    /// Stores a retained box under a fresh number.
    private func store(_ raw: UnsafeMutableRawPointer) -> UInt32 {
        allocation.withLock { next in
            let number = next
            let chunk = number >> Self.chunkBits
            precondition(chunk < Self.maxChunks, "icmc: more than \(Self.maxChunks << Self.chunkBits) distinct payloads or program states")
            if chunks[chunk] == nil { chunks[chunk] = .allocate(capacity: 1 << Self.chunkBits) }
            chunks[chunk]![number & Self.chunkMask] = raw
            next += 1
            return UInt32(number)
        }
    }
}
