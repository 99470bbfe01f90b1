-- Reset a Redisson lock's ttl only if the grant is still ours (compare-and-PEXPIRE on the hold field).
-- Redisson's own watchdog renews with the same check (HEXISTS on the field, then PEXPIRE); this script
-- adds the distinction between an expired lock and one another holder has taken.
--
-- KEYS[1]  the lock hash (the Redisson lock's name)
-- ARGV[1]  our hold field, "<client id>:<thread id>"
-- ARGV[2]  new ttl in milliseconds
--
-- Returns:
--    1  extended
--    0  expired: the hash is gone
--   -1  not owner: another holder has it now; left untouched
if redis.call('hexists', KEYS[1], ARGV[1]) == 1 then
  redis.call('pexpire', KEYS[1], ARGV[2])
  return 1
end
if redis.call('exists', KEYS[1]) == 0 then
  return 0
end
return -1
