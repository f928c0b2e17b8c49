/// The one place where each domain's routes are plugged in (each `register…Routes` lives in `Routes/`).
extension Application {
    func registerDomainRoutes() {
        registerPrimesRoutes()
        registerS2Routes()
        registerBoundsRoutes()
        registerSimilarityRoutes()
        registerGeodesicsRoutes()
    }
}
