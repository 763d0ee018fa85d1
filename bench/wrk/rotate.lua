-- wrk script for `make bench` (bench/loadgen.py): rotates through prepared requests and
-- prints one parseable summary line.
--
-- BENCH_DATA names a file with one request per line, tab-separated:
--     METHOD <tab> PATH <tab> TOKEN <tab> BODY
-- TOKEN (a DRF token: "Authorization: Token ...") and BODY (JSON) may be empty. Each wrk
-- thread starts at its own offset, so concurrent connections act as different users.
-- Every response outside 2xx is counted (with the first one's status and body kept);
-- done() prints
--     BENCH_RESULT {"requests": ..., "rps": ..., "p95_ms": ..., "non2xx": ..., ...}

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local function split(line)
  local fields, start = {}, 1
  while true do
    local i = string.find(line, "\t", start, true)
    if not i then
      table.insert(fields, string.sub(line, start))
      return fields
    end
    table.insert(fields, string.sub(line, start, i - 1))
    start = i + 1
  end
end

local prepared = {}
local count = 0
local index = 0
non2xx = 0
first_error = ""

function init(args)
  local path = os.getenv("BENCH_DATA")
  for line in io.lines(path) do
    if line ~= "" then
      local f = split(line)
      local method, target, token, body = f[1], f[2], f[3] or "", f[4] or ""
      local headers = { ["Accept"] = "application/json" }
      if token ~= "" then headers["Authorization"] = "Token " .. token end
      if body ~= "" then
        headers["Content-Type"] = "application/json"
      else
        body = nil
      end
      table.insert(prepared, wrk.format(method, target, headers, body))
    end
  end
  count = #prepared
  if count == 0 then error("no requests in " .. tostring(path)) end
  index = ((tid or 1) * 7919) % count
end

function request()
  index = index % count + 1
  return prepared[index]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_error == "" then
      first_error = tostring(status) .. " " .. string.sub(body or "", 1, 400)
    end
  end
end

local function json_string(s)
  s = string.gsub(s, '[%c"\\]', function(c)
    if c == '"' then return '\\"' end
    if c == "\\" then return "\\\\" end
    return string.format("\\u%04x", string.byte(c))
  end)
  return '"' .. s .. '"'
end

function done(summary, latency, requests)
  local bad, err = 0, ""
  for _, thread in ipairs(threads) do
    bad = bad + (tonumber(thread:get("non2xx")) or 0)
    local e = thread:get("first_error")
    if err == "" and e and e ~= "" then err = e end
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_s": %.3f, "rps": %.2f, "mean_ms": %.3f, '
      .. '"p50_ms": %.3f, "p90_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, '
      .. '"non2xx": %d, "errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, '
      .. '"status": %d}, "first_error": %s}\n',
    summary.requests, seconds, summary.requests / seconds, latency.mean / 1000,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    bad, e.connect, e.read, e.write, e.timeout, e.status, json_string(err)))
end
