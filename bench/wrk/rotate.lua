-- wrk script for `make bench` (bench/loadgen.py): rotates through prepared requests and
-- prints one parseable summary line.
--
-- BENCH_DATA names a file with one request per line, tab-separated:
--     METHOD <tab> PATH <tab> TOKEN <tab> BODY [<tab> COOKIE <tab> CSRF <tab> TYPE]
-- TOKEN (a DRF token: "Authorization: Token ...") and BODY (JSON) may be empty. The last
-- three fields are optional (a web session): COOKIE is sent as the Cookie header
-- ("sessionid=...; csrftoken=..."), CSRF as X-CSRFToken, and TYPE "form" sends BODY as
-- application/x-www-form-urlencoded instead of JSON. Each wrk thread starts at its own
-- offset, so concurrent connections act as different users.
--
-- BENCH_ONCE=1: every line may be sent once only (a ballot): each thread takes its own
-- slice of the lines, in order, and one that runs past its slice counts as "exhausted".
-- BENCH_EXPECT=302 (optional): the status every response must have instead of any 2xx,
-- with BENCH_LOCATION a Lua pattern its Location header must match (a web form's
-- POST-redirect-GET; a redirect to the login page is then an error).
-- Every other response is counted (with the first one's status and body kept); done()
-- prints
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
local last = 0
local once = os.getenv("BENCH_ONCE") == "1"
local expect = tonumber(os.getenv("BENCH_EXPECT") or "")
local location = os.getenv("BENCH_LOCATION") or ""
non2xx = 0
exhausted = 0
first_error = ""

function init(args)
  local path = os.getenv("BENCH_DATA")
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then table.insert(lines, line) end
  end
  local first, stop = 1, #lines
  if once then  -- this thread's own slice
    local threads = tonumber(os.getenv("BENCH_THREADS_N") or "") or 1
    local size = math.floor(#lines / threads)
    first = ((tid or 1) - 1) * size + 1
    stop = first + size - 1
  end
  for i = first, stop do
    local f = split(lines[i])
    local method, target, token, body = f[1], f[2], f[3] or "", f[4] or ""
    local cookie, csrf, kind = f[5] or "", f[6] or "", f[7] or ""
    local headers = { ["Accept"] = "application/json" }
    if token ~= "" then headers["Authorization"] = "Token " .. token end
    if cookie ~= "" then headers["Cookie"] = cookie end
    if cookie ~= "" and token == "" then  -- a page, as a browser asks for it
      headers["Accept"] = "text/html,application/xhtml+xml,*/*;q=0.8"
    end
    if csrf ~= "" then headers["X-CSRFToken"] = csrf end
    if body ~= "" then
      if kind == "form" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      else
        headers["Content-Type"] = "application/json"
      end
    else
      body = nil
    end
    table.insert(prepared, wrk.format(method, target, headers, body))
  end
  count = #prepared
  if count == 0 then error("no requests in " .. tostring(path)) end
  if once then
    index = 0
  else
    index = ((tid or 1) * 7919) % count
  end
end

function request()
  if once and index >= count then
    exhausted = 1  -- sent again: it will be refused, and the run is invalid anyway
  end
  index = index % count + 1
  return prepared[index]
end

function response(status, headers, body)
  local bad
  if expect then
    bad = status ~= expect
    if not bad and location ~= "" then
      local where = headers["Location"] or headers["location"] or ""
      bad = string.find(where, location) == nil
    end
  else
    bad = status < 200 or status > 299
  end
  if bad then
    non2xx = non2xx + 1
    if first_error == "" then
      local where = headers["Location"] or headers["location"] or ""
      first_error = tostring(status) .. " " .. where .. " " .. string.sub(body or "", 1, 400)
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
  local bad, err, out = 0, "", 0
  for _, thread in ipairs(threads) do
    bad = bad + (tonumber(thread:get("non2xx")) or 0)
    out = out + (tonumber(thread:get("exhausted")) or 0)
    local e = thread:get("first_error")
    if err == "" and e and e ~= "" then err = e end
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_s": %.3f, "rps": %.2f, "mean_ms": %.3f, '
      .. '"p50_ms": %.3f, "p90_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, '
      .. '"non2xx": %d, "errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, '
      .. '"status": %d}, "exhausted": %s, "first_error": %s}\n',
    summary.requests, seconds, summary.requests / seconds, latency.mean / 1000,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    bad, e.connect, e.read, e.write, e.timeout, e.status, out > 0 and "true" or "false",
    json_string(err)))
end
