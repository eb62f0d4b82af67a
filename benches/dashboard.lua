-- wrk script for benches/dashboard_load.py: every request is one signed-in page of another
-- session, taken in turn from the lines the driver wrote ("<path>\t<cookie>": each session's own
-- contract, invoice or ticket where the route names one).
local requests = {}
for line in io.lines(os.getenv("EBOK_BENCH_REQUESTS")) do
  local path, cookie = line:match("^([^\t]*)\t(.*)$")
  requests[#requests + 1] = { path = path, cookie = cookie }
end
local next_one = 0

-- EBOK_BENCH_THINK_MS: each connection pauses this long between pages, as a subscriber reads
-- a page before the next click (0: as fast as the server answers, a saturating load).
local think = tonumber(os.getenv("EBOK_BENCH_THINK_MS") or "0")
if think > 0 then
  delay = function()
    return think
  end
end

request = function()
  next_one = next_one % #requests + 1
  local r = requests[next_one]
  return wrk.format("GET", r.path, { ["Cookie"] = r.cookie })
end

-- A page that is not 200 (a session that ended, a redirect to the login, an error page) would
-- flatter the numbers: the driver counts these lines.
response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("page answered " .. status .. "\n")
  end
end
