-- Delete a lock only if it still holds our owner token, and wake the waiters.
--
-- KEYS[1]  the lock key
-- ARGV[1]  our owner token
-- ARGV[2]  the key's release channel (PUBLISHed to when we delete)
--
-- Returns:
--    1  released (deleted, waiters notified)
--    0  expired: the key is gone, nobody holds it
--   -1  not owner: another owner holds it now; left untouched
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then
  redis.call('del', KEYS[1])
  redis.call('publish', ARGV[2], ARGV[1])
  return 1
end
if holder == false then
  return 0
end
return -1
