-- The login storm of scripts/bench: POST /api/v1/auth/login over and over, as the
-- participants deelnemer1..N@example.org (from the environment: BENCH_PEOPLE, N, and
-- BENCH_PASSWORD, their password).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local people = tonumber(os.getenv("BENCH_PEOPLE"))
local password = os.getenv("BENCH_PASSWORD")
local k = 0
s200, s201, s4xx, s5xx, sother = 0, 0, 0, 0, 0

function request()
    k = k + 1
    local who = 1 + (k * 7 + tid) % people
    local body = '{"email":"deelnemer' .. who .. '@example.org","password":"' .. password .. '"}'
    return wrk.format("POST", "/api/v1/auth/login", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
    if status == 200 then
        s200 = s200 + 1
    elseif status >= 500 then
        s5xx = s5xx + 1
    elseif status >= 400 then
        s4xx = s4xx + 1
    else
        sother = sother + 1
    end
end
