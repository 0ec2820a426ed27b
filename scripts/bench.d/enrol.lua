-- Enrolment over HTTP for scripts/bench: POST /api/v1/courses/{id}/enrolment with the
-- bearer token of a user, each request a (user, course) pair that was not asked before.
-- From the environment: BENCH_SALT, BENCH_USERS (users 1..n have a token), BENCH_FIRST_COURSE,
-- BENCH_COURSES. scripts/bench makes the tokens: "wm-bench-<user>-<salt>".
-- Pair n: user 1 + n % users, course first + (n / users + n % users) % courses; thread t
-- of T takes n = k·T + t, so threads never share a pair.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local salt = os.getenv("BENCH_SALT")
local users = tonumber(os.getenv("BENCH_USERS"))
local first = tonumber(os.getenv("BENCH_FIRST_COURSE"))
local courses = tonumber(os.getenv("BENCH_COURSES"))
local k = 0
local nthreads = tonumber(os.getenv("BENCH_WRK_THREADS") or "2")
s200, s201, s4xx, s5xx, sother = 0, 0, 0, 0, 0

function request()
    local n = k * nthreads + tid
    k = k + 1
    local user = 1 + n % users
    local course = first + (math.floor(n / users) + n % users) % courses
    return wrk.format("POST", "/api/v1/courses/" .. course .. "/enrolment",
        { ["Authorization"] = "Bearer wm-bench-" .. user .. "-" .. salt, ["Content-Length"] = "0" })
end

function response(status, headers, body)
    if status == 201 then
        s201 = s201 + 1
    elseif status == 200 then
        s200 = s200 + 1
    elseif status >= 500 then
        s5xx = s5xx + 1
    elseif status >= 400 then
        s4xx = s4xx + 1
    else
        sother = sother + 1
    end
end
