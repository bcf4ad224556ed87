-- wrk script for bench/chat_load.sh: POST /api/chat with patient messages
-- taken in turn from a file, each as the first message of a new conversation.
--
--   wrk -t1 -c16 -d20s -s bench/chat_load.lua URL -- MESSAGES_FILE
--
-- Non-2xx responses are counted, and 2xx replies by their "kind". done()
-- prints one line, "CHAT_LOAD_RESULT " then JSON, which chat_load.sh reads.

local threads = {}
local thread_count = 0

-- Runs once per thread, in the main Lua state, before init().
function setup(thread)
   thread_count = thread_count + 1
   thread:set("thread_index", thread_count)
   table.insert(threads, thread)
end

local function json_string(text)
   local escaped = text:gsub('[%c"\\]', function(c)
      if c == '"' then return '\\"' end
      if c == "\\" then return "\\\\" end
      return string.format("\\u%04x", c:byte())
   end)
   return '"' .. escaped .. '"'
end

local requests_ready = {}
local next_index = 1

-- Per thread: every request is formatted once, up front.
function init(args)
   local path = args[1] or "bench/data/chat_messages.txt"

   local file = assert(io.open(path, "r"), "cannot open " .. path)
   local headers = { ["Content-Type"] = "application/json" }
   for line in file:lines() do
      if line:match("%S") then
         local body = '{"message":' .. json_string(line) .. "}"
         table.insert(requests_ready, wrk.format("POST", "/api/chat", headers, body))
      end
   end
   file:close()
   assert(#requests_ready > 0, path .. " has no messages")

   -- Threads start at different places in the file.
   next_index = ((thread_index or 1) - 1) * 37 % #requests_ready + 1

   non_2xx = 0
   kinds = {}
end

function request()
   local req = requests_ready[next_index]
   next_index = next_index % #requests_ready + 1
   return req
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non_2xx = non_2xx + 1
   else
      local kind = body:match('"kind"%s*:%s*"([%w_]+)"') or "unknown"
      kinds[kind] = (kinds[kind] or 0) + 1
   end
end

function done(summary, latency, requests)
   local non_2xx_total = 0
   local kind_totals = {}
   for _, thread in ipairs(threads) do
      non_2xx_total = non_2xx_total + (thread:get("non_2xx") or 0)
      local thread_kinds = thread:get("kinds") or {}
      for kind, count in pairs(thread_kinds) do
         kind_totals[kind] = (kind_totals[kind] or 0) + count
      end
   end

   local kind_parts = {}
   for kind, count in pairs(kind_totals) do
      table.insert(kind_parts, string.format('"%s":%d', kind, count))
   end
   table.sort(kind_parts)

   local seconds = summary.duration / 1e6
   local errors = summary.errors
   local function ms(microseconds) return microseconds / 1000 end
   io.write(string.format(
      'CHAT_LOAD_RESULT {"requests":%d,"duration_s":%.3f,"requests_per_s":%.2f,'
         .. '"p50_ms":%.2f,"p90_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f,'
         .. '"min_ms":%.2f,"mean_ms":%.2f,"max_ms":%.2f,"non_2xx":%d,'
         .. '"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},'
         .. '"kinds":{%s}}\n',
      summary.requests, seconds, summary.requests / seconds,
      ms(latency:percentile(50)), ms(latency:percentile(90)),
      ms(latency:percentile(95)), ms(latency:percentile(99)),
      ms(latency.min), ms(latency.mean), ms(latency.max), non_2xx_total,
      errors.connect, errors.read, errors.write, errors.timeout,
      table.concat(kind_parts, ",")))
end
