-- wrk script of scripts/bench-api.sh: GET a random company's timeline page.
-- The tickers are those of `riskline bench seed` (B and four letters).
local companies = tonumber(os.getenv("COMPANIES") or "10000")
local key = os.getenv("BENCH_KEY") or ""

local function ticker(i)
  local s = ""
  for _ = 1, 4 do
    s = string.char(65 + i % 26) .. s
    i = math.floor(i / 26)
  end
  return "B" .. s
end

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
  wrk.headers["Authorization"] = "Bearer " .. key
end

function request()
  local path = "/api/v1/companies/" .. ticker(math.random(0, companies - 1)) .. "/timeline?limit=50"
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local non2xx = (summary.errors.status or 0)
  io.write(string.format("non-2xx responses: %d\n", non2xx))
end
