-- wrk script: POST a registration with a unique email per request (or, with `-- events`, a
-- beacon page view as the site's beacon sends it); count answers by status.
local counter = 0
local events = false
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  created, already, other, errors5xx = 0, 0, 0, 0
  events = args[1] == "events"
  prefix = args[2] or "load"
end

function request()
  counter = counter + 1
  if events then
    local body = string.format('{"event_type":"page_view","page_path":"/en/page-%d/"}', counter % 500)
    return wrk.format("POST", nil, {["Content-Type"] = "text/plain"}, body)
  end
  local body = string.format(
    '{"first_name":"Load","last_name":"Test","email":"%s-%d-%d@example.com","company":"Bench"}', prefix, id, counter)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 201 or status == 204 then created = created + 1
  elseif status == 200 then already = already + 1
  elseif status >= 500 then errors5xx = errors5xx + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local c, a, o, e = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created"); a = a + thread:get("already")
    o = o + thread:get("other"); e = e + thread:get("errors5xx")
  end
  io.write(string.format("RESULT created=%d already=%d other=%d errors5xx=%d p50_ms=%.2f p99_ms=%.2f seconds=%.2f\n",
    c, a, o, e, latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.duration / 1e6))
end
