-- wrk script for bench/http.sh: each request takes the next request target
-- (path and query, one a line) of a file, so a run sends distinct queries
-- that no response cache has seen.
--
--   wrk -t2 -c64 -d5s -s bench/mix.lua http://127.0.0.1:PORT -- TARGETS [START] [STATEFILE]
--
-- or with the environment: HADATH_MIX_TARGETS, HADATH_MIX_START,
-- HADATH_MIX_STATE (arguments win).
--
-- With T threads, thread t (0-based) sends the targets at lines
-- START + t + T*k (k = 0, 1, 2, ..., modulo the file's length), so the threads
-- never send the same target until the file is used up. At the end, done()
-- prints one summary line (responses, the lines used, whether the file
-- wrapped round, statuses >= 400 from wrk's own count) and writes where the
-- next run should start into STATEFILE, so that successive runs go on
-- through the file instead of repeating its beginning. The lines used are
-- T times the most any thread sent (the threads advance together).

local threads = {}

function setup(thread)
    thread:set("tid", #threads)
    table.insert(threads, thread)
    for _, t in ipairs(threads) do
        t:set("nthreads", #threads)
    end
end

local function setting(args, i, name, default)
    local v = args[i]
    if v == nil or v == "" then v = os.getenv(name) end
    if v == nil or v == "" then v = default end
    return v
end

function init(args)
    local file = setting(args, 1, "HADATH_MIX_TARGETS", nil)
    if file == nil then
        error("mix.lua: give the targets file as the first script argument or HADATH_MIX_TARGETS")
    end
    start = tonumber(setting(args, 2, "HADATH_MIX_START", "0"))
    statefile = setting(args, 3, "HADATH_MIX_STATE", "")
    reqs, n, k = {}, 0, 0
    for line in io.lines(file) do
        if line ~= "" then
            n = n + 1
            -- pre-formatted: request() only picks a string
            reqs[n] = wrk.format("GET", line)
        end
    end
    if n == 0 then error("mix.lua: no targets in " .. file) end
end

function request()
    local i = (start + tid + nthreads * k) % n + 1
    k = k + 1
    return reqs[i]
end

function done(summary, latency, requests)
    local maxk, n, start, statefile = 0, 0, 0, ""
    for _, t in ipairs(threads) do
        local tk = t:get("k") or 0
        if tk > maxk then maxk = tk end
        n = t:get("n") or n
        start = t:get("start") or start
        statefile = t:get("statefile") or statefile
    end
    local used = #threads * maxk
    local wrapped
    if start + used > n then
        -- this run or an earlier one (same STATEFILE) sent these lines before
        wrapped = string.format("yes, %.1f passes over the file since the first run: targets were repeated",
            (start + used) / n)
    else
        wrapped = "no"
    end
    io.write(string.format(
        "mix: %d responses; lines %d to %d of %d used, wrapped: %s; status>=400: %d\n",
        summary.requests, n > 0 and start % n + 1 or 0, n > 0 and (start + used - 1) % n + 1 or 0, n,
        wrapped, summary.errors.status))
    if statefile ~= "" and n > 0 then
        -- not reduced modulo n: a longer file given to the next run goes on
        -- after the lines used so far
        local f = io.open(statefile, "w")
        if f then
            f:write(string.format("%d\n", start + used))
            f:close()
        end
    end
end
