/// The small HTML page at `/`: what the service does and a curl example per domain.
enum HomePage {
    static let html = """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>Incognita</title>
    <style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
    pre{background:#f4f4f4;padding:.6rem;overflow-x:auto}code{font-size:.9em}</style></head>
    <body>
    <h1>Incognita</h1>
    <p>An HTTP/1.1 JSON service for five pieces of applied mathematics: geodesics under the Stein-score metric,
    concentration-inequality bounds, prime-digit queries, S2 geometry, and secure two-party similarity sessions.
    The contract is at <a href="/openapi.yaml">/openapi.yaml</a>; metrics at <a href="/metrics">/metrics</a>.</p>
    <h2>Try it</h2>
    <pre><code>curl -s localhost:8080/healthz
    curl -s 'localhost:8080/v1/s2/cells?lat=48.8584&amp;lng=2.2945&amp;level=15'
    curl -s localhost:8080/v1/mersenne/82589933
    curl -s 'localhost:8080/v1/digits?base=2&amp;exponent=1000'
    curl -s -X POST localhost:8080/v1/bounds/hoeffding -H 'content-type: application/json' \\
      -d '{"n":100,"lower":0,"upper":1,"deviation":0.1,"tail":"twoSided"}'
    curl -s -X POST localhost:8080/v1/primes/lucas-lehmer -H 'content-type: application/json' -d '{"exponent":127}'
    curl -s localhost:8080/v1/jobs/JOB_ID</code></pre>
    <p>Errors are <code>application/problem+json</code> and name the offending field. Every response carries an
    <code>X-Request-ID</code>.</p>
    </body></html>
    """
}
