// Written by scripts/generate-client.py: what the code in this folder was generated from.
// `python3 scripts/generate-client.py --check` (in make test) compares these digests with the files.

/// The contract this client was generated from.
public enum IncognitaContract {
    /// SHA-256 of the `openapi.yaml` the client was generated from.
    public static let openAPISHA256 = "01561a9f089a35a0a1a0229da32c38a4ca934059c24b560e5325c1666c87783e"
    /// The swift-openapi-generator version that generated it.
    public static let generatorVersion = "1.14.3"
}

// configuration e3438ddff85269369254d2da33bb7581c3b58af2108142b79345a2d2a437edc7
// file Client.swift cee79cfeff96a0b5fbb95b876ad62cb339eec829b7f0cbcc8ca9628e50986540
// file Types+Components+Headers.swift 8f15d0c7fa2be3ed5b095a1658468afc0320915844ffe2114c3125344fd75ea8
// file Types+Components+Parameters.swift 92280d034e82d077e73c6cc0fd7f37fadf60dc6e3e747c988f6607fba0a4b7bf
// file Types+Components+RequestBodies.swift 7b1a80cb0ebd656c39e98f2fb9460cac6c325b666e615d8f751fae63f00eee7b
// file Types+Components+Responses.swift bc7eb79baaf14e954d1fac759428a5332d6fc62717434efad4ae5f3a4e188f9c
// file Types+Components+Schemas.swift 685de0919cef4a4d7f184ea4287a9a0d72f43aca313c7e0f21c7afdc932a8d26
// file Types+Components.swift 9cc0c7613b781c66b26445f03c2dbefec92f59dbf6b50c262ac4dfc0d4a57766
// file Types+Operations.swift 8e4bc483c4393807dc8b24eae955f373447dd58795c78eed9b87635ab7ec6c0b
// file Types.swift 7d4a40fc599a306e0350b9107f0dd028281966709ef6c0d1beb1d6e914a87992
