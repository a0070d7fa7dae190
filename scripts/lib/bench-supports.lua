-- wrk script for scripts/bench: PUT /api/v1/proposals/{id}/support, each request as another
-- person. AH_TOKENS names a file of API tokens (one person each), AH_PROPOSALS one of proposal
-- ids; request i uses token i mod T on proposal floor(i / T) mod P, so the first T * P
-- requests are all distinct (person, proposal) pairs. Run with one wrk thread (-t1).
local tokens, proposals = {}, {}
for line in io.lines(os.getenv("AH_TOKENS")) do tokens[#tokens + 1] = line end
for line in io.lines(os.getenv("AH_PROPOSALS")) do proposals[#proposals + 1] = line end
local i = 0

request = function()
  local token = tokens[i % #tokens + 1]
  local proposal = proposals[math.floor(i / #tokens) % #proposals + 1]
  i = i + 1
  return wrk.format("PUT", "/api/v1/proposals/" .. proposal .. "/support",
                    { ["Authorization"] = "Bearer " .. token }, "")
end
