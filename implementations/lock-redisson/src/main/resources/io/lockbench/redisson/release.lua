-- Release one grant of a Redisson lock, and wake Redisson's waiters, only if the grant is still ours.
--
-- Redisson keeps a held RLock as a hash named after the lock, with one field per holder,
-- "<client id>:<thread id>", whose value is the hold count. RedissonLockService gives every lease its own
-- synthetic thread id, so the field names one grant, as an owner token does in the other implementations.
-- A lease holds its field exactly once (it never re-enters), so releasing it deletes the whole hash.
--
-- KEYS[1]  the lock hash (the Redisson lock's name)
-- ARGV[1]  our hold field, "<client id>:<thread id>"
-- ARGV[2]  Redisson's release channel for this lock, redisson_lock__channel:{name}
-- ARGV[3]  the message Redisson's waiters wait for on that channel (LockPubSub.UNLOCK_MESSAGE)
--
-- Returns:
--    1  released (deleted, waiters notified)
--    0  expired: the hash is gone, nobody holds the lock
--   -1  not owner: another holder has it now; left untouched
if redis.call('hexists', KEYS[1], ARGV[1]) == 1 then
  redis.call('del', KEYS[1])
  redis.call('publish', ARGV[2], ARGV[3])
  return 1
end
if redis.call('exists', KEYS[1]) == 0 then
  return 0
end
return -1
