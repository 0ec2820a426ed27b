-- The login storm of scripts/bench: POST /api/v1/auth/login over and over, as the
-- participants deelnemer1..N@example.org (argument 1: N; argument 2: their password).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local people, password
local k = 0
s200, s201, sother = 0, 0, 0

function init(args)
    people, password = tonumber(args[1]), args[2]
end

function request()
    k = k + 1
    local who = 1 + (k * 2 + tid) % people
    local body = '{"email":"deelnemer' .. who .. '@example.org","password":"' .. password .. '"}'
    return wrk.format("POST", "/api/v1/auth/login", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
    if status == 200 then
        s200 = s200 + 1
    else
        sother = sother + 1
    end
end
