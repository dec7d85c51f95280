#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One object of type `Value` per thread, made on first use and released when its thread ends.
///
/// Why: the hot paths of a search keep per-thread caches (spare state boxes, memos of
/// representatives) that must need no lock and never be seen by two threads. A `pthread` key
/// gives that in a few instructions; this type is the one place that owns such a key and
/// releases a thread's object when the thread ends.
public final class PerThread<Value: AnyObject>: Sendable {
    @usableFromInline let key: pthread_key_t
    @usableFromInline let make: @Sendable () -> Value

    /// A process-wide key; `make` builds the calling thread's object on its first `current`.
    public init(_ make: @escaping @Sendable () -> Value) {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<AnyObject>.fromOpaque(pointer).release()
        }
        self.key = key
        self.make = make
    }

    /// The calling thread's object.
    @inlinable
    public var current: Value {
        if let existing = pthread_getspecific(key) { return Unmanaged<Value>.fromOpaque(existing).takeUnretainedValue() }
        let made = make()
        // The same pointer as the object's `AnyObject` reference, which the key's destructor
        // releases without knowing `Value`.
        pthread_setspecific(key, Unmanaged<Value>.passRetained(made).toOpaque())
        return made
    }
}
