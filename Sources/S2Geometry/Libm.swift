#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// The one C call of this target: glibc's `sincos`, which returns exactly sin(x) and cos(x) (the
/// same code paths as the separate functions) in one call — what g++ emits for the reference's
/// adjacent sin/cos calls. Elsewhere, falls back to the two functions.
#if canImport(Glibc)
@_silgen_name("sincos")
private func c_sincos(_ x: Double, _ s: UnsafeMutablePointer<Double>, _ c: UnsafeMutablePointer<Double>)

@usableFromInline @inline(__always)
func sinCos(_ x: Double) -> (sin: Double, cos: Double) {
    var s = 0.0, c = 0.0
    c_sincos(x, &s, &c)
    return (s, c)
}
#else
@usableFromInline @inline(__always)
func sinCos(_ x: Double) -> (sin: Double, cos: Double) { (sin(x), cos(x)) }
#endif
