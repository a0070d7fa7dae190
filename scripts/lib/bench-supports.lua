-- wrk script for scripts/bench: PUT /api/v1/proposals/{id}/support, each request as another
-- person. AH_TOKENS names a file of API tokens (one person each), AH_PROPOSALS one of proposal
-- ids; request i uses token t = i mod T on proposal (t + floor(i / T)) mod P, so the first T * P
-- requests are all distinct (person, proposal) pairs, and requests in flight together go to
-- different proposals (as pgbench's random ones do: the comparison is of the same work, not
-- of a queue on one row's lock). Run with one wrk thread (-t1).
local tokens, proposals = {}, {}
for line in io.lines(os.getenv("AH_TOKENS")) do tokens[#tokens + 1] = line end
for line in io.lines(os.getenv("AH_PROPOSALS")) do proposals[#proposals + 1] = line end
local i = 0

request = function()
  local t = i % #tokens
  local token = tokens[t + 1]
  local proposal = proposals[(t + math.floor(i / #tokens)) % #proposals + 1]
  i = i + 1
  return wrk.format("PUT", "/api/v1/proposals/" .. proposal .. "/support",
                    { ["Authorization"] = "Bearer " .. token }, "")
end
