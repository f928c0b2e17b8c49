// Written by scripts/generate-client.py: what the code in this folder was generated from.
// `python3 scripts/generate-client.py --check` (in make test) compares these digests with the files.

/// The contract this client was generated from.
public enum IncognitaContract {
    /// SHA-256 of the `openapi.yaml` the client was generated from.
    public static let openAPISHA256 = "cce326bdd1d902ac35998e12d8257596be69ab0251964f934809717b488f521d"
    /// The swift-openapi-generator version that generated it.
    public static let generatorVersion = "1.14.3"
}

// configuration e3438ddff85269369254d2da33bb7581c3b58af2108142b79345a2d2a437edc7
// file Client.swift 360c1ce34e1174a0daec8781567dd21d33f6432069110d767ebd8ffc32467e33
// file Types+Components+Headers.swift 8f15d0c7fa2be3ed5b095a1658468afc0320915844ffe2114c3125344fd75ea8
// file Types+Components+Parameters.swift 92280d034e82d077e73c6cc0fd7f37fadf60dc6e3e747c988f6607fba0a4b7bf
// file Types+Components+RequestBodies.swift 7b1a80cb0ebd656c39e98f2fb9460cac6c325b666e615d8f751fae63f00eee7b
// file Types+Components+Responses.swift bc7eb79baaf14e954d1fac759428a5332d6fc62717434efad4ae5f3a4e188f9c
// file Types+Components+Schemas.swift fc9b2b30fedbbe093e09167d909ebc4909a4994b506258b38935ccde38d2bd4e
// file Types+Components.swift 9cc0c7613b781c66b26445f03c2dbefec92f59dbf6b50c262ac4dfc0d4a57766
// file Types+Operations.swift 74a67a69386b680261ee534597d316874610489de1469c24b6c265925469dc99
// file Types.swift bd6d4a06d797c581eba7b5daf3de0168eed9c70ce3b7a6ab2a793891b89f2e03
