-- Raise a key's fencing counter to at least a floor (never lower it). Redlock writes the highest token
-- a quorum granted back to the granting nodes whose counters were behind, so that the next grant, which
-- needs a quorum too, meets at least one node whose counter is already there.
--
-- KEYS[1]  the key's fencing counter (as acquire.lua's KEYS[2])
-- ARGV[1]  the floor, a positive integer
--
-- Returns the counter after the call: max(counter, floor).
local current = tonumber(redis.call('get', KEYS[1]) or '0')
local floor = tonumber(ARGV[1])
if current < floor then
  redis.call('set', KEYS[1], ARGV[1])
  return floor
end
return current
