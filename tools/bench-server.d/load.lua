-- wrk script for tools/bench-server: durable writes (delivery.correct) or reads (show,
-- reconcile, the Cabinet report) spread over many contracts.
--
--   wrk -t1 -c N -d SECONDS -s load.lua URL -- MODE TARGETS TOKEN ACTIVE_SECONDS
--
-- MODE is write, show, reconcile or report (the Cabinet report, HTML), or a page of the web
-- app for people signed in: page-portfolio, page-contract or page-report. TARGETS has one "CONTRACT QUARTER MEASURE" per line (a
-- DeliveryReported of that quarter holding that measure, so that a correction by quarter and
-- measure names exactly one return and is accepted every time). Requests are sent only during
-- the first ACTIVE_SECONDS; wrk's -d is longer, so every request sent is answered before wrk
-- stops and "events added = 2xx write answers" can be checked exactly. Latency is wrk's (from
-- the send of each request); throughput is the answers over the span from the first send to the
-- last answer, measured here with clock_gettime through LuaJIT's ffi.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_index", counter)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1]
  active_us = tonumber(args[4]) * 1e6
  token = args[3]
  targets = {}
  for line in io.lines(args[2]) do
    local c, q, m = line:match("^(%S+)%s+(%S+)%s+(%S+)$")
    if c then table.insert(targets, { c, q, m }) end
  end
  assert(#targets > 0, "no targets in " .. args[2])
  -- Threads start at different places, so that they do not walk the contracts in step.
  next_target = ((thread_index - 1) * 7919) % #targets
  sent, ok, other, first_send, last_answer = 0, 0, 0, 0, 0
  statuses = ""
  headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  read_headers = { ["Authorization"] = "Bearer " .. token }
  -- The web app's pages: TOKEN is then a comma-separated list of session cookies, one per
  -- person signed in, taken in turn.
  cookies = {}
  for cookie in token:gmatch("[^,]+") do table.insert(cookies, cookie) end
end

-- Called before each request (wrk calls delay() when the script defines it): past the active
-- window, the connection idles until wrk stops.
function delay()
  local t = now_us()
  if first_send == 0 then first_send = t end
  if t - first_send >= active_us then return 3600000 end
  return 0
end

function request()
  next_target = next_target % #targets + 1
  local t = targets[next_target]
  sent = sent + 1
  if mode == "show" then
    return wrk.format("GET", "/contracts/" .. t[1], read_headers)
  elseif mode == "reconcile" then
    return wrk.format("GET", "/reconcile?contract=" .. t[1], read_headers)
  elseif mode == "report" then
    return wrk.format("GET", "/reports/cabinet", read_headers)
  elseif mode:sub(1, 5) == "page-" then
    local page = { ["page-portfolio"] = "/app", ["page-contract"] = "/app/contracts/" .. t[1],
                   ["page-report"] = "/app/reports/cabinet/report" }
    -- As a browser asks: with its session's cookie, taking gzip.
    return wrk.format("GET", page[mode], { ["Cookie"] = "svledger_session=" .. cookies[sent % #cookies + 1], ["Accept-Encoding"] = "gzip, deflate, br" })
  end
  -- A new figure each time (still a valid decimal quantity), so that each correction differs.
  local quantity = string.format("%d.%d", 1 + sent % 997, sent % 10)
  local body = '{"command":"delivery.correct","contract":"' .. t[1] .. '","quarter":"' .. t[2] ..
    '","measure":"' .. t[3] .. '","reason":"load benchmark","lines":[{"measure":"' .. t[3] ..
    '","quantity":"' .. quantity .. '","evidence":"BENCH-' .. thread_index .. '-' .. sent .. '"}]}'
  return wrk.format("POST", "/commands", headers, body)
end

function response(status, hdrs, body)
  last_answer = now_us()
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    other = other + 1
    if #statuses < 400 then statuses = statuses .. status .. ":" .. body:sub(1, 160):gsub('[%c"\\]', " ") .. "; " end
  end
end

function done(summary, latency, requests)
  local total_ok, total_other, total_sent, first, last = 0, 0, 0, math.huge, 0
  local samples = ""
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_other = total_other + thread:get("other")
    total_sent = total_sent + thread:get("sent")
    local f, l = thread:get("first_send"), thread:get("last_answer")
    if f > 0 and f < first then first = f end
    if l > last then last = l end
    samples = samples .. thread:get("statuses")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"ok":%d,"other":%d,"span_s":%.6f,"p50_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,' ..
    '"socket_errors":%d,"other_samples":"%s"}\n',
    total_ok, total_other, (last - first) / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
    e.connect + e.read + e.write + e.timeout, samples))
end
