-- Enrolment over HTTP for scripts/bench: POST /api/v1/courses/{id}/enrolment with the
-- bearer token of a user, each request a (user, course) pair that was not asked before.
-- Arguments: token salt, number of users with a token (1..n), first course, number of
-- courses. The tokens are made by scripts/bench: "wm-bench-<user>-<salt>".
-- Pair n: user 1 + n % users, course first + (n / users + n % users) % courses; thread t
-- of T takes n = k·T + t, so threads never share a pair.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local salt, users, first, courses
local k = 0
local nthreads = tonumber(os.getenv("BENCH_WRK_THREADS") or "2")
s200, s201, sother = 0, 0, 0

function init(args)
    salt, users, first, courses = args[1], tonumber(args[2]), tonumber(args[3]), tonumber(args[4])
end

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
    else
        sother = sother + 1
    end
end
