-- wrk script for benches/dashboard_load.py: every request is the dashboard ("/") of another
-- signed-in subscriber, taken in turn from the session cookies the driver logged in.
local cookies = {}
for line in io.lines(os.getenv("EBOK_BENCH_COOKIES")) do
  cookies[#cookies + 1] = line
end
local next_one = 0

request = function()
  next_one = next_one % #cookies + 1
  return wrk.format("GET", "/", { ["Cookie"] = cookies[next_one] })
end

-- A dashboard that is not 200 (a session that ended, an error page) would flatter the numbers.
response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("dashboard answered " .. status .. "\n")
  end
end
