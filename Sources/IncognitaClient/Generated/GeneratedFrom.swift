// Written by scripts/generate-client.py: what the code in this folder was generated from.
// `python3 scripts/generate-client.py --check` (in make test) compares these digests with the files.

/// The contract this client was generated from.
public enum IncognitaContract {
    /// SHA-256 of the `openapi.yaml` the client was generated from.
    public static let openAPISHA256 = "1c6857b02bbaa35bf888d05657fc5f7b5254cb97ebef1c60bdd839c7e5071142"
    /// The swift-openapi-generator version that generated it.
    public static let generatorVersion = "1.14.3"
}

// configuration e3438ddff85269369254d2da33bb7581c3b58af2108142b79345a2d2a437edc7
// file Client.swift 96e8349942f09b24f752aa7e46e3d06404400447ea7c8d07a0a77e37ad050ce1
// file Types+Components+Headers.swift 8f15d0c7fa2be3ed5b095a1658468afc0320915844ffe2114c3125344fd75ea8
// file Types+Components+Parameters.swift 92280d034e82d077e73c6cc0fd7f37fadf60dc6e3e747c988f6607fba0a4b7bf
// file Types+Components+RequestBodies.swift 7b1a80cb0ebd656c39e98f2fb9460cac6c325b666e615d8f751fae63f00eee7b
// file Types+Components+Responses.swift bc7eb79baaf14e954d1fac759428a5332d6fc62717434efad4ae5f3a4e188f9c
// file Types+Components+Schemas.swift 96ecda6134176e2c274dc7bd9854760a9639bf434461469811f1f1995825638b
// file Types+Components.swift 9cc0c7613b781c66b26445f03c2dbefec92f59dbf6b50c262ac4dfc0d4a57766
// file Types+Operations.swift 198f2f10cec9f0e23d5fbc7df46070db1320ea797a3e70a86ddc028d819695cd
// file Types.swift 8a740482ddcde772cd0110a45977ad823a213d3ce5275798039fefb73cf92601
