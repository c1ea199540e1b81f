-- Each request deletes a distinct live attachment: attachment i lives on record i / per_record.
local prefix = os.getenv("BENCH_PREFIX")
local record_base = tonumber(os.getenv("BENCH_RECORD_BASE"))
local attachment_base = tonumber(os.getenv("BENCH_ATTACHMENT_BASE"))
local per_record = tonumber(os.getenv("BENCH_PER_RECORD"))
local offset = tonumber(os.getenv("BENCH_OFFSET"))
local token = os.getenv("BENCH_TOKEN")
local i = offset

request = function()
  local record = record_base + math.floor(i / per_record)
  local path = string.format("/bigin/v2/Contacts/%s%012d/Attachments/%s%012d", prefix, record, prefix, attachment_base + i)
  i = i + 1
  return wrk.format("DELETE", path, { ["Authorization"] = "Zoho-oauthtoken " .. token })
end

done = function(summary, latency, requests)
  io.write(string.format("BENCH_JSON {\"requests\":%d,\"non2xx\":%d,\"errors\":%d,\"p50\":%d,\"p99\":%d,\"mean\":%.1f}\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
