import CMPFR
import CGMP

/// The thin wrapper around MPFR's `mpfr_t`: every `mpfr_*` call of the Primes target lives here.
///
/// MPFR rounds every operation correctly in the requested direction, which is what makes the
/// interval arithmetic of `PowerDigits` rigorous: a lower bound is computed with `.down` at every
/// step and an upper bound with `.up`, so the true value is always inside [lower, upper].
///
/// Not `Sendable`: a scratch value of one computation.
final class BigFloat {
    enum Rounding {
        case down, up, nearest

        var mpfr: mpfr_rnd_t {
            switch self {
            case .down: return MPFR_RNDD
            case .up: return MPFR_RNDU
            case .nearest: return MPFR_RNDN
            }
        }
    }

    let raw: UnsafeMutablePointer<__mpfr_struct>

    /// A value of `precision` bits, initialised to zero.
    init(precision: Int) {
        raw = .allocate(capacity: 1)
        mpfr_init2(raw, mpfr_prec_t(precision))
        mpfr_set_ui(raw, 0, MPFR_RNDN)
    }

    deinit {
        mpfr_clear(raw)
        raw.deallocate()
    }

    func set(_ value: UInt64, _ rounding: Rounding) { mpfr_set_ui(raw, UInt(value), rounding.mpfr) }
    func set(_ other: BigFloat, _ rounding: Rounding) { mpfr_set(raw, other.raw, rounding.mpfr) }

    /// self ← log10(x) rounded in the given direction.
    func setLog10(of x: UInt64, _ rounding: Rounding) {
        set(x, rounding)   // x < 2^64 is exact at precision ≥ 64
        mpfr_log10(raw, raw, rounding.mpfr)
    }

    /// self ← self · m.
    func multiply(by m: UInt64, _ rounding: Rounding) { mpfr_mul_ui(raw, raw, UInt(m), rounding.mpfr) }
    func multiply(by other: BigFloat, _ rounding: Rounding) { mpfr_mul(raw, raw, other.raw, rounding.mpfr) }
    /// self ← self / m.
    func divide(by m: UInt64, _ rounding: Rounding) { mpfr_div_ui(raw, raw, UInt(m), rounding.mpfr) }
    /// self ← self − z.
    func subtract(_ z: BigInt, _ rounding: Rounding) { mpfr_sub_z(raw, raw, z.raw, rounding.mpfr) }
    func add(_ value: UInt64, _ rounding: Rounding) { mpfr_add_ui(raw, raw, UInt(value), rounding.mpfr) }
    func subtract(_ value: UInt64, _ rounding: Rounding) { mpfr_sub_ui(raw, raw, UInt(value), rounding.mpfr) }
    func add(_ other: BigFloat, _ rounding: Rounding) { mpfr_add(raw, raw, other.raw, rounding.mpfr) }
    func subtract(_ other: BigFloat, _ rounding: Rounding) { mpfr_sub(raw, raw, other.raw, rounding.mpfr) }

    /// self ← 10^self.
    func exp10(_ rounding: Rounding) { mpfr_exp10(raw, raw, rounding.mpfr) }

    /// self ← the next representable value below / above (one ulp).
    func nextBelow() { mpfr_nextbelow(raw) }
    func nextAbove() { mpfr_nextabove(raw) }

    /// self ← 2^e (exact).
    func setPowerOfTwo(_ e: Int) { mpfr_set_ui_2exp(raw, 1, mpfr_exp_t(e), MPFR_RNDN) }

    /// floor(self) as a big integer (self finite).
    func floor() -> BigInt {
        let z = BigInt()
        mpfr_get_z(z.raw, raw, MPFR_RNDD)
        return z
    }

    func compare(_ other: BigFloat) -> Int { Int(mpfr_cmp(raw, other.raw)).signum() }
    func compare(_ value: UInt64) -> Int { Int(mpfr_cmp_ui_2exp(raw, UInt(value), 0)).signum() }

    var isFinite: Bool { mpfr_number_p(raw) != 0 }
}
