-- wrk script for Benchmarks/http.sh: POST {"data":"hello"} to a Genkit flow endpoint (/trivial).
-- Counts the responses that are not 200 with the expected result body, over all threads, so a
-- server that answers errors quickly cannot pass for a fast one (wrk itself only counts non-2xx).
wrk.method = "POST"
wrk.body = '{"data":"hello"}'
wrk.headers["Content-Type"] = "application/json"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrong = 0
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"result":"hello"', 1, true) then
    wrong = wrong + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("wrong")
  end
  io.write(string.format("wrong_responses=%d\n", total))
end
