extension UnsafeMutableBufferPointer where Element == UInt64 {
    /// Sorts ascending in place, without the temporary buffer of the standard library's stable
    /// sort (half the elements: megabytes when a disk-backed search sorts its fingerprints).
    /// Quicksort with a median-of-three pivot (fingerprints are uniformly spread), recursing
    /// into the smaller side, insertion sort below 24 elements.
    @usableFromInline
    func sortInPlace() {
        guard let base = baseAddress else { return }
        Self.quicksort(base, 0, count - 1)
    }

    private static func quicksort(_ a: UnsafeMutablePointer<UInt64>, _ low: Int, _ high: Int) {
        var low = low
        var high = high
        while high - low >= 24 {
            let middle = low + (high - low) / 2
            if a[middle] < a[low] { a.swapAt(middle, low) }
            if a[high] < a[low] { a.swapAt(high, low) }
            if a[high] < a[middle] { a.swapAt(high, middle) }
            let pivot = a[middle]
            var i = low
            var j = high
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if j - low < high - i {
                quicksort(a, low, j)
                low = i
            } else {
                quicksort(a, i, high)
                high = j
            }
        }
        if high > low {
            for k in (low + 1)...high {
                let value = a[k]
                var m = k - 1
                while m >= low && a[m] > value {
                    a[m + 1] = a[m]
                    m -= 1
                }
                a[m + 1] = value
            }
        }
    }
}

extension UnsafeMutablePointer where Pointee == UInt64 {
    @inline(__always)
    fileprivate func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]
        self[i] = self[j]
        self[j] = t
    }
}
