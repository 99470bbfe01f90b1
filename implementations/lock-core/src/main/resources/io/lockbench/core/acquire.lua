-- Take a lock if it is free, and issue its fencing token in the same atomic step.
--
-- KEYS[1]  the lock key            ({tag} hash tag shared with KEYS[2])
-- KEYS[2]  the key's fencing counter (never expires: tokens must keep increasing)
-- ARGV[1]  our owner token (the lock's value)
-- ARGV[2]  ttl in milliseconds
--
-- Returns a two-element array:
--   { 1, fencing token }        acquired now
--   { 2, current counter }      already held with our token (a retried acquire whose first attempt landed)
--   { 0, remaining ttl in ms }  held by another owner; a waiter may sleep that long
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return { 1, redis.call('incr', KEYS[2]) }
end
if redis.call('get', KEYS[1]) == ARGV[1] then
  return { 2, tonumber(redis.call('get', KEYS[2]) or '0') }
end
return { 0, redis.call('pttl', KEYS[1]) }
