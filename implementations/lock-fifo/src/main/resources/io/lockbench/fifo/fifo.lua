-- A fair lock whose release hands it to the next live waiter on the server. Two entry points, ARGV[1].
--
-- KEYS[1]  the lock key                 ({tag} hash tag shared with the other keys)
-- KEYS[2]  the key's fencing counter    (never expires: tokens must keep increasing)
-- KEYS[3]  the queue: waiter tokens in arrival order (a list)
-- KEYS[4]  the waiters: token -> "<deadline ms> <ttl ms>" (a hash; deadline on the server's clock)
-- ARGV[1]  'acquire' or 'release'
-- ARGV[2]  our owner token
-- ARGV[3]  the key's channel: a grant PUBLISHes "<token> <fencing token>" there
--
-- acquire, ARGV[4] ttl in ms, ARGV[5] queue window in ms (0: do not queue, a single attempt).
-- A free lock goes to the first live waiter in the queue: to us when we are first or nobody waits (taken
-- now), else to that waiter (granted and published) while we join the queue. A held lock queues us.
-- Queuing again refreshes our deadline to now + window and keeps our place. Returns an array:
--   { 1, fencing token }                   acquired now
--   { 2, fencing token }                   already ours (granted while our call was on its way); ttl reset
--   { 0, remaining ttl in ms, counter }    held by another owner; queued when ARGV[5] > 0. counter: the
--                                          fencing counter now, so a grant to us made later has a higher token
--
-- release: compare-and-delete by token, leave the queue, and when the lock is free hand it to the first
-- live waiter (waiters whose deadline passed are dropped): its token, its ttl, the next fencing token, and
-- the grant published. A waiter that gives up calls it too. Returns:
--    1  released (and handed on when someone waits)
--    0  expired: the key was gone (handed on when someone waits)
--   -1  not owner: another owner holds it now; left untouched
local lock, fence, queue, waiters = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local op, token, channel = ARGV[1], ARGV[2], ARGV[3]

-- The server's clock in ms, read once per call and only when a deadline is needed: an uncontended call
-- touches no queue and needs none.
local now
local function now_ms()
  if not now then
    local t = redis.call('time')
    now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  return now
end

-- The first queued waiter whose deadline has not passed, and its ttl; dead entries ahead of it are dropped.
local function first_live()
  while true do
    local head = redis.call('lindex', queue, 0)
    if not head then
      return nil
    end
    local entry = redis.call('hget', waiters, head)
    if entry then
      local deadline, ttl = string.match(entry, '^(%d+) (%d+)$')
      if tonumber(deadline) >= now_ms() then
        return head, ttl
      end
      redis.call('hdel', waiters, head)
    end
    redis.call('lpop', queue)
  end
end

-- Hands the free lock to the first live waiter, if any.
local function grant()
  local head, ttl = first_live()
  if not head then
    return
  end
  redis.call('lpop', queue)
  redis.call('hdel', waiters, head)
  redis.call('set', lock, head, 'PX', ttl)
  redis.call('publish', channel, head .. ' ' .. redis.call('incr', fence))
end

if op == 'acquire' then
  local ttl, window = ARGV[4], tonumber(ARGV[5])
  local holder = redis.call('get', lock)
  if holder == token then
    redis.call('pexpire', lock, ttl)
    return { 2, tonumber(redis.call('get', fence) or '0') }
  end
  if not holder then
    local head = first_live()
    if not head or head == token then
      if head then
        redis.call('lpop', queue)
        redis.call('hdel', waiters, token)
      end
      redis.call('set', lock, token, 'PX', ttl)
      return { 1, redis.call('incr', fence) }
    end
    grant()
  end
  if window > 0 then
    if redis.call('hset', waiters, token, string.format('%d %s', now_ms() + window, ttl)) == 1 then
      redis.call('rpush', queue, token)
    end
    redis.call('pexpire', queue, window)
    redis.call('pexpire', waiters, window)
  end
  return { 0, redis.call('pttl', lock), tonumber(redis.call('get', fence) or '0') }
end

if op == 'release' then
  local holder = redis.call('get', lock)
  local result = -1
  if holder == token then
    redis.call('del', lock)
    result = 1
  elseif not holder then
    result = 0
  end
  if redis.call('hdel', waiters, token) == 1 then
    redis.call('lrem', queue, 1, token)
  end
  if result >= 0 then
    grant()
  end
  return result
end

return redis.error_reply('fifo.lua: unknown entry point ' .. tostring(op))
