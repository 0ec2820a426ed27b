-- What every wrk run of scripts/bench reports: one line that scripts/bench.d/table.py
-- reads, with the rate, latency percentiles and the answers' status codes when the
-- script counts them (enrol.lua, login.lua). Loaded by the other scripts with dofile.
local threads = {}

function setup(thread)
    thread:set("tid", #threads)
    table.insert(threads, thread)
end

local function count(name)
    local total = 0
    for _, t in ipairs(threads) do
        total = total + (tonumber(t:get(name)) or 0)
    end
    return total
end

function done(summary, latency, requests)
    local e = summary.errors
    local seconds = summary.duration / 1e6
    io.write(string.format(
        "WRK requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f bytes=%d " ..
        "errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d non2xx=%d s200=%d s201=%d s4xx=%d s5xx=%d sother=%d\n",
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
        latency.max / 1e3, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
        count("s200"), count("s201"), count("s4xx"), count("s5xx"), count("sother")))
end
