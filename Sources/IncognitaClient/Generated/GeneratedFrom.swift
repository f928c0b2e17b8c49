// Written by scripts/generate-client.py: what the code in this folder was generated from.
// `python3 scripts/generate-client.py --check` (in make test) compares these digests with the files.

/// The contract this client was generated from.
public enum IncognitaContract {
    /// SHA-256 of the `openapi.yaml` the client was generated from.
    public static let openAPISHA256 = "56a7d233c9e210144825b3685aae34397d910df693301529bcda6372428c4fc5"
    /// The swift-openapi-generator version that generated it.
    public static let generatorVersion = "1.14.3"
}

// configuration e3438ddff85269369254d2da33bb7581c3b58af2108142b79345a2d2a437edc7
// file Client.swift 5a1b86cddb2ac0cd7fae1c19fe16beaed34761bf502206c46233f7a53f92aa9e
// file Types+Components+Headers.swift 8f15d0c7fa2be3ed5b095a1658468afc0320915844ffe2114c3125344fd75ea8
// file Types+Components+Parameters.swift 92280d034e82d077e73c6cc0fd7f37fadf60dc6e3e747c988f6607fba0a4b7bf
// file Types+Components+RequestBodies.swift 7b1a80cb0ebd656c39e98f2fb9460cac6c325b666e615d8f751fae63f00eee7b
// file Types+Components+Responses.swift bc7eb79baaf14e954d1fac759428a5332d6fc62717434efad4ae5f3a4e188f9c
// file Types+Components+Schemas.swift 51197a7d15aef9ddb392a329e369aaf9c5568bf0cc1f59eb649416f312452231
// file Types+Components.swift 9cc0c7613b781c66b26445f03c2dbefec92f59dbf6b50c262ac4dfc0d4a57766
// file Types+Operations.swift 745f045e45828b0a9f645d2b295cafc60aff7a763f55d4b277e4e42c6d82e8ea
// file Types.swift 2ce03b0ad1be38052c17ad40f46ddd58aba46c4c7fd0516f19c499b7b59e3f3b
