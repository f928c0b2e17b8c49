/// An event of a discrete law on its integer lattice: the exact probability is
/// P(S ≥ atLeast) + P(S ≤ atMost), a side that cannot happen being absent. `variable` says what S is:
/// `X` for a binomial or Poisson variable itself, `S = n·X̄` for the sum behind a sample mean.
public struct LatticeEvent: Sendable, Equatable, Codable {
    public let variable: String
    public let atLeast: Int?
    public let atMost: Int?
}
