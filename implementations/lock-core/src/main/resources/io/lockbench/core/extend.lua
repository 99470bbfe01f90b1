-- Reset a lock's ttl only if it still holds our owner token (compare-and-PEXPIRE).
--
-- KEYS[1]  the lock key
-- ARGV[1]  our owner token
-- ARGV[2]  new ttl in milliseconds
--
-- Returns:
--    1  extended
--    0  expired: the key is gone
--   -1  not owner: another owner holds it now; left untouched
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then
  redis.call('pexpire', KEYS[1], ARGV[2])
  return 1
end
if holder == false then
  return 0
end
return -1
