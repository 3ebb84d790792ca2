-- Cachalot's Lua environment, built once per Lua state: the globals, the redis table and the
-- sandbox of Redis 7.0 (script_lua.c, eval.c). Stock Lua 5.1 has no read-only tables, so the
-- globals and every library table are proxies whose writes fail as Redis' do.
-- the Java functions (RedisApi): Lua sees them as C functions, as Redis' own
local jcall, jpcall, jsha1, jlog, jsetresp, jsetrepl, jacl, jrandom, jrandomseed, jinterrupt, jregister = ...

local type, error, select, tostring, tonumber, next_, rawget_, rawset_, setmetatable_, getmetatable_ =
      type, error, select, tostring, tonumber, next, rawget, rawset, setmetatable, getmetatable
local rawequal, ipairs_, floor, ceil, sfind, ssub, sformat, unpack, pcall_ =
      rawequal, ipairs, math.floor, math.ceil, string.find, string.sub, string.format, unpack, pcall
local dbg = debug

-- what Redis does not load, or removes after initialisation
debug, print, dofile, loadfile, os, io, package, module, require = nil, nil, nil, nil, nil, nil, nil, nil, nil

local PRELUDE = '@cachalot'

local function raise(msg)
  error({err = 'ERR ' .. msg}, 0)
end

-- error tables as luaPushErrorBuff builds them from "-CODE msg" or "msg"
local function trim(s)
  local i, j = 1, #s
  while i <= j do
    local c = ssub(s, i, i)
    if c ~= '\r' and c ~= '\n' then break end
    i = i + 1
  end
  while j >= i do
    local c = ssub(s, j, j)
    if c ~= '\r' and c ~= '\n' then break end
    j = j - 1
  end
  return ssub(s, i, j)
end

local function error_table(s)
  local code, msg
  if ssub(s, 1, 1) == '-' then
    local sp = sfind(s, ' ', 1, true)
    if sp then
      code, msg = ssub(s, 2, sp - 1), ssub(s, sp + 1)
    else
      code, msg = 'ERR', ssub(s, 2)
    end
  else
    code, msg = 'ERR', s
  end
  -- lua_pushstring stops at a NUL byte
  local z = sfind(msg, '\0', 1, true)
  if z then msg = ssub(msg, 1, z - 1) end
  return {err = code .. ' ' .. trim(msg)}
end

-- the pcall error handler: the error as a table with where it happened in the user's code
local function errh(err)
  local lvl = 2
  local i = dbg.getinfo(lvl, 'nSl')
  while i and (i.what == 'C' or i.what == 'tail' or i.source == PRELUDE) do
    lvl = lvl + 1
    i = dbg.getinfo(lvl, 'nSl')
  end
  if type(err) ~= 'table' then
    err = {err = 'ERR ' .. tostring(err)}
  end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end

local redis = {}
local hook -- the count hook, defined below

redis.call = jcall
redis.pcall = jpcall
redis.sha1hex = jsha1
redis.log = jlog
redis.setresp = jsetresp
redis.set_repl = jsetrepl
redis.acl_check_cmd = jacl

redis.error_reply = function(...)
  local e = ...
  if select('#', ...) ~= 1 or type(e) ~= 'string' then
    return {err = 'ERR wrong number or type of arguments'}
  end
  if ssub(e, 1, 1) ~= '-' then e = '-' .. e end
  return error_table(e)
end

redis.status_reply = function(...)
  local s = ...
  if select('#', ...) ~= 1 or type(s) ~= 'string' then
    return {err = 'ERR wrong number or type of arguments'}
  end
  return {ok = s}
end

redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3

redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL = 0, 1, 2, 2, 3

redis.replicate_commands = function() return true end
redis.breakpoint = function() return false end
redis.debug = function() end

redis.REDIS_VERSION = '7.0.15'
redis.REDIS_VERSION_NUM = 0x0007000f

-- math.random as Redis': its own rand48, the same sequence on every platform
math.random = jrandom
math.randomseed = jrandomseed

-- Redis' pcall: an error table raised by redis.call comes back as its message
local function pcall_result(ok, ...)
  if ok then return true, ... end
  local e = ...
  if type(e) == 'table' then
    local m = e.err
    if type(m) == 'string' then e = m end
  end
  return false, e
end
pcall = function(f, ...)
  return pcall_result(pcall_(f, ...))
end

-- read-only tables: a proxy per protected table; reads go through, writes fail
local real = setmetatable_({}, {__mode = 'k'})
local function readonly()
  error('Attempt to modify a readonly table', 2)
end
local function seal(t)
  local proxy = {}
  local mt = {__index = t, __newindex = readonly}
  real[proxy] = t
  setmetatable_(proxy, mt)
  return proxy, mt
end
-- a read-only view of t whose metatable, as getmetatable shows it, is read-only too
local function view(t)
  local proxy, mt = seal(t)
  local shown, shownmt = seal(mt)
  shownmt.__metatable = shown
  mt.__metatable = shown
  return proxy, mt
end
local function protect(t)
  if real[t] then return t end
  for k, v in next_, t do
    if type(v) == 'table' and k ~= '_G' and not real[v] then
      rawset_(t, k, protect(v))
    end
  end
  return (view(t))
end

next = function(t, k)
  local r = real[t]
  if r and r ~= t then return next_(r, k) end
  return next_(t, k)
end
local next_wrapped = next
pairs = function(t)
  if type(t) ~= 'table' then error("bad argument #1 to 'pairs' (table expected, got " ..
    (t == nil and 'no value' or type(t)) .. ')', 2) end
  return next_wrapped, t, nil
end
ipairs = function(t)
  local r = real[t]
  if r and r ~= t then return ipairs_(r) end
  return ipairs_(t)
end
rawget = function(t, k)
  local r = real[t]
  if r and r ~= t then return rawget_(r, k) end
  return rawget_(t, k)
end
rawset = function(t, k, v)
  if real[t] then error('Attempt to modify a readonly table', 0) end
  return rawset_(t, k, v)
end
setmetatable = function(t, m)
  if real[t] then error('Attempt to modify a readonly table', 0) end
  return setmetatable_(t, m)
end

-- Redis' Lua refuses binary chunks
local loadstring_, load_ = loadstring, load

-- the string metatable's methods come from the protected string table
local smt = getmetatable_('')

local G = _G
G.redis = redis
local globals = {}
for k, v in next_, G do globals[k] = v end
-- globals: reading a missing one fails as in Redis
local function missing(_, name)
  error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
end
setmetatable_(globals, {__index = missing})
for k, v in next_, globals do
  if type(v) == 'table' and k ~= '_G' then globals[k] = protect(v) end
end
smt.__index = globals.string
smt.__metatable = view({__index = globals.string})
local env = view(globals)
globals._G = env
-- Scripts run with env: the runtime sets it on every function it compiles, and loadstring
-- below on what it loads. The state's own global table stays the unprotected one: luajava
-- writes a global of its own on every call of a Java function, which must stay cheap.
local getfenv_, setfenv_ = getfenv, setfenv
getfenv = function(f)
  local e
  if f == nil then
    e = getfenv_(2)
  elseif type(f) == 'number' then
    e = getfenv_(f == 0 and 0 or f + 1)
  else
    e = getfenv_(f)
  end
  if e == G then return env end
  return e
end
loadstring = function(s, name)
  if type(s) == 'string' and ssub(s, 1, 1) == '\27' then
    return nil, 'binary chunks are not allowed'
  end
  local f, e = loadstring_(s, name)
  if f then setfenv_(f, env) end
  return f, e
end
load = function(fn, name)
  local f, e = load_(fn, name)
  if f then setfenv_(f, env) end
  return f, e
end
globals.getfenv, globals.loadstring, globals.load = getfenv, loadstring, load

-- Redis' luaMaskCountHook: every 100000 instructions the runtime is asked whether the script
-- was killed; once killed, every line asks, so that a pcall cannot catch the error for good
hook = function()
  local e = jinterrupt()
  if e then
    dbg.sethook(hook, 'l')
    error({err = e}, 0)
  end
end
local function rehook()
  dbg.sethook(hook, '', 100000)
end
rehook()
-- a run that was killed or must start again: every line raises from now on
local function linehook()
  dbg.sethook(hook, 'l')
end

-- Functions (FUNCTION LOAD): while a library's code runs, its globals are only
-- redis.register_function, redis.log and the version; when its functions run, the globals of
-- scripts without KEYS and ARGV. Each library gets its own read-only environment whose reads
-- are switched from the first to the second once it is loaded.
local libredis = {register_function = jregister, log = jlog,
  LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REDIS_VERSION = redis.REDIS_VERSION, REDIS_VERSION_NUM = redis.REDIS_VERSION_NUM}
setmetatable_(libredis, {__index = missing})
local libapi = {redis = view(libredis)}
setmetatable_(libapi, {__index = missing})
local fapi = {}
for k, v in next_, globals do
  if k ~= 'KEYS' and k ~= 'ARGV' then fapi[k] = v end
end
setmetatable_(fapi, {__index = missing})
-- a library's environment: returns it and the function that makes it the functions' one.
-- (Nothing of it may be a value in `real` that refers back to its key: weak keys do not free
-- such entries in Lua 5.1, and libraries are loaded again and again.)
local library_meta_shown = view({})
local function library_env()
  local t = {}
  local mt = {__index = libapi, __newindex = readonly, __metatable = library_meta_shown}
  setmetatable_(t, mt)
  real[t] = libapi
  local function loaded()
    mt.__index = fapi
    real[t] = fapi
  end
  return t, loaded
end

-- for the runtime: the error handler, the table KEYS and ARGV are set in, the hooks, library
-- environments, the environment of scripts, and what marks a read-only proxy (the Java
-- libraries see through those, as Redis' C code sees its read-only tables)
return errh, globals, rehook, linehook, library_env, env, readonly
