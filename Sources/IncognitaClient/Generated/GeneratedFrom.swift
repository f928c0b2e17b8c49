// Written by scripts/generate-client.py: what the code in this folder was generated from.
// `python3 scripts/generate-client.py --check` (in make test) compares these digests with the files.

/// The contract this client was generated from.
public enum IncognitaContract {
    /// SHA-256 of the `openapi.yaml` the client was generated from.
    public static let openAPISHA256 = "384030694d06890bdf71a77ebebfa108fba49f30ab73c83f9c408c07d525aac9"
    /// The swift-openapi-generator version that generated it.
    public static let generatorVersion = "1.14.3"
}

// configuration e3438ddff85269369254d2da33bb7581c3b58af2108142b79345a2d2a437edc7
// file Client.swift 96e8349942f09b24f752aa7e46e3d06404400447ea7c8d07a0a77e37ad050ce1
// file Types+Components+Headers.swift 8f15d0c7fa2be3ed5b095a1658468afc0320915844ffe2114c3125344fd75ea8
// file Types+Components+Parameters.swift 5f19fc25f68143316308fd11e4dc6a878a7eb41630c6e901f1bb0b163ca2c112
// file Types+Components+RequestBodies.swift 7b1a80cb0ebd656c39e98f2fb9460cac6c325b666e615d8f751fae63f00eee7b
// file Types+Components+Responses.swift bc7eb79baaf14e954d1fac759428a5332d6fc62717434efad4ae5f3a4e188f9c
// file Types+Components+Schemas.swift 96ecda6134176e2c274dc7bd9854760a9639bf434461469811f1f1995825638b
// file Types+Components.swift 9cc0c7613b781c66b26445f03c2dbefec92f59dbf6b50c262ac4dfc0d4a57766
// file Types+Operations.swift f43fcd53fd34dfa25a7ed35e29c608c6088eb4d7b8196ab0ff3afd5d358dad7f
// file Types.swift 8a740482ddcde772cd0110a45977ad823a213d3ce5275798039fefb73cf92601
