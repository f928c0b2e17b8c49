import COpenBLAS

/// The one wrapper around OpenBLAS (Debian's libopenblas): single-precision matrix products on row-major
/// matrices given by base pointer and leading dimension. OpenBLAS runs each call on the calling thread only;
/// `BertModel` splits its products across the cores itself, so results do not depend on OpenBLAS's thread
/// count and concurrent calls do not contend for its thread pool.
enum BLAS {
    /// Single-threaded calls, set once per process before the first product.
    private static let configured: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    static func configure() { _ = configured }

    /// The kernel family OpenBLAS chose for this processor (e.g. "Haswell", "SkylakeX"), for logs and benchmarks.
    static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// C[m×n] = alpha · A[m×k] · op(B) + beta · C, op(B) = B[n×k]ᵀ when `transposedB`, else B[k×n].
    @inline(__always)
    static func gemm(m: Int, n: Int, k: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                     b: UnsafePointer<Float>, ldb: Int, transposedB: Bool,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, transposedB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
