-- One script for every scenario, chosen by BENCH_MODE; the ids come from make-dataset.mjs.
--   delete:   a distinct live attachment per request (attachment i lives on record i / per_record)
--   list:     the first page (per_page=10) of a record, rotating over the records
--   download: rotating over BENCH_FILES file attachments from BENCH_FILE_BASE
--   refresh:  POST /oauth/v2/token grant_type=refresh_token, rotating over the seeded refresh
--             tokens (each allows 10 refreshes per 10 minutes)
--   upload:   the same multipart body (BENCH_BODY_FILE) every time, a static request
--   get, search-email, search-phone, search-name: one of BENCH_CONTACTS searchable contacts per
--             request, spread over all of them (a stride coprime with the count), read by id or
--             found by e-mail, by phone, or by a Last_Name prefix (each matches that one contact)
local mode = os.getenv("BENCH_MODE")
local prefix = os.getenv("BENCH_PREFIX")
local token = os.getenv("BENCH_TOKEN")
local i = tonumber(os.getenv("BENCH_OFFSET") or "0")
local auth = "Zoho-oauthtoken " .. token

local function id(n)
  return string.format("%s%012d", prefix, n)
end

if mode == "upload" then
  local f = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
  wrk.method = "POST"
  wrk.path = "/bigin/v2/Contacts/" .. os.getenv("BENCH_UPLOAD_RECORD") .. "/Attachments"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Authorization"] = auth
  wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. os.getenv("BENCH_BOUNDARY")
elseif mode == "delete" then
  local record_base = tonumber(os.getenv("BENCH_RECORD_BASE"))
  local attachment_base = tonumber(os.getenv("BENCH_ATTACHMENT_BASE"))
  local per_record = tonumber(os.getenv("BENCH_PER_RECORD"))
  request = function()
    local path = "/bigin/v2/Contacts/" .. id(record_base + math.floor(i / per_record)) .. "/Attachments/" .. id(attachment_base + i)
    i = i + 1
    return wrk.format("DELETE", path, { ["Authorization"] = auth })
  end
elseif mode == "list" then
  local record_base = tonumber(os.getenv("BENCH_RECORD_BASE"))
  local records = tonumber(os.getenv("BENCH_RECORDS"))
  request = function()
    local path = "/bigin/v2/Contacts/" .. id(record_base + i % records) .. "/Attachments?per_page=10"
    i = i + 1
    return wrk.format("GET", path, { ["Authorization"] = auth })
  end
elseif mode == "download" then
  local record = os.getenv("BENCH_FILE_RECORD")
  local base = tonumber(os.getenv("BENCH_FILE_BASE"))
  local files = tonumber(os.getenv("BENCH_FILES"))
  request = function()
    local path = "/bigin/v2/Contacts/" .. record .. "/Attachments/" .. id(base + i % files)
    i = i + 1
    return wrk.format("GET", path, { ["Authorization"] = auth })
  end
elseif mode == "get" or mode:sub(1, 7) == "search-" then
  local base = tonumber(os.getenv("BENCH_CONTACT_BASE"))
  local contacts = tonumber(os.getenv("BENCH_CONTACTS"))
  local headers = { ["Authorization"] = auth }
  request = function()
    -- 7919 is prime, so the stride visits every contact before repeating: no hot cache lines.
    local n = (i * 7919) % contacts
    i = i + 1
    local digits = string.format("%07d", n)
    local path
    if mode == "get" then
      path = "/bigin/v2/Contacts/" .. id(base + n)
    elseif mode == "search-email" then
      path = "/bigin/v2/Contacts/search?email=contact" .. n .. "%40example.com"
    elseif mode == "search-phone" then
      path = "/bigin/v2/Contacts/search?phone=%2B1555" .. digits
    else
      path = "/bigin/v2/Contacts/search?criteria=(Last_Name:starts_with:Surname" .. digits .. ")"
    end
    return wrk.format("GET", path, headers)
  end
elseif mode == "refresh" then
  local tokens = tonumber(os.getenv("BENCH_REFRESH_TOKENS"))
  local client = "grant_type=refresh_token&client_id=" .. os.getenv("BENCH_CLIENT_ID") .. "&client_secret=" .. os.getenv("BENCH_CLIENT_SECRET") .. "&refresh_token="
  local zeros = string.rep("0", 32)
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  request = function()
    local body = client .. string.format("1000.%032x.%s", i % tokens, zeros)
    i = i + 1
    return wrk.format("POST", "/oauth/v2/token", headers, body)
  end
end

-- Zoho's token endpoint answers errors with HTTP 200 and {"error":…}: count them apart. done()
-- runs in another Lua state than the requests, so it reads each thread's count.
failures = 0
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
if mode == "refresh" then
  response = function(status, headers, body)
    if status ~= 200 or string.find(body, "\"error\"", 1, true) then failures = failures + 1 end
  end
end

done = function(summary, latency, requests)
  local bodyErrors = 0
  for _, t in ipairs(threads) do
    bodyErrors = bodyErrors + (t:get("failures") or 0)
  end
  io.write(string.format("BENCH_JSON {\"requests\":%d,\"bytes\":%d,\"non2xx\":%d,\"errors\":%d,\"p50\":%d,\"p99\":%d,\"mean\":%.1f,\"bodyErrors\":%d}\n",
    summary.requests, summary.bytes, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean, bodyErrors))
end
