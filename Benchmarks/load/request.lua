-- wrk script: one fixed request per wrk process, described by environment variables
-- LOAD_METHOD, LOAD_PATH and LOAD_BODY (JSON). Counts statuses other than the expected one.
local method = os.getenv("LOAD_METHOD") or "GET"
local path = os.getenv("LOAD_PATH") or "/healthz"
local body = os.getenv("LOAD_BODY")
local expected = tonumber(os.getenv("LOAD_EXPECT") or "200")
local unexpected = 0

function init(args)
  wrk.method = method
  wrk.path = path
  if body and #body > 0 then
    wrk.body = body
    wrk.headers["Content-Type"] = "application/json"
  end
  wrk.headers["Accept-Encoding"] = "gzip"
end

function response(status, headers, body)
  if status ~= expected then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d errors_status=%d p50_ms=%.3f p99_ms=%.3f rps=%.1f\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6)))
end
